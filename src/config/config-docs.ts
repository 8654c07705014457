import { envKeys, envVarMeta } from './env-schema';

/** The README configuration table, generated from the schema (a test keeps the README in sync). */
export function renderConfigTable(): string {
  const rows = envKeys.map((key) => {
    const meta = envVarMeta(key);
    const fallback = meta.fallback === undefined ? '—' : `\`${meta.fallback}\``;
    return `| \`${key}\` | ${fallback} | ${meta.description.replaceAll('|', '\\|')} |`;
  });
  return ['| Variable | Default | What it does |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The body of `.env.example`: every variable, commented with its description. */
export function renderEnvExample(): string {
  const blocks = envKeys.map((key) => {
    const meta = envVarMeta(key);
    return `# ${meta.description}\n${key}=${meta.fallback ?? ''}`;
  });
  return `# Vestnik configuration. Every variable is optional; the values shown are the defaults.\n\n${blocks.join('\n\n')}\n`;
}
