/**
 * Architecture rules (design.md, "Ports and adapters"), checked by `npm run lint`.
 * - no import cycles anywhere;
 * - adapters/ never reach into inbox/ or the core (src/), so they stay portable channel code;
 * - the core never imports a platform SDK directly (only adapters/ may).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make start-up order and testing fragile.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'adapters-stay-out-of-core',
      severity: 'error',
      comment:
        'Adapters talk to the core only through the channel contract; they never import inbox/ or src/.',
      from: { path: '^adapters/' },
      to: { path: '^(inbox|src)/' },
    },
    {
      name: 'platform-sdks-only-in-adapters',
      severity: 'error',
      comment: 'Platform SDKs (vk-io, telegraf, viber-bot) are imported only inside adapters/<channel>/.',
      from: { pathNot: '^adapters/' },
      to: { path: 'node_modules/(vk-io|telegraf|viber-bot)/' },
    },
    {
      name: 'bot-flows-not-into-db-models',
      severity: 'error',
      comment: 'Bot flows see the normalized context only, never database models.',
      from: { path: '^bot-flows/' },
      to: { path: '-model\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
