import { z } from 'zod';

/** Metadata shown in the README configuration table and `.env.example`. */
export interface EnvVarMeta {
  description: string;
  /** The value used when the variable is unset or empty (as it would be written in the environment). */
  fallback: string | undefined;
  /** Secret values are never echoed back in error messages or logs. */
  secret: boolean;
}

const metaByKey = new Map<string, EnvVarMeta>();

function envVar<T extends z.ZodType>(
  key: string,
  schema: T,
  meta: { description: string; fallback?: string; secret?: boolean },
) {
  metaByKey.set(key, {
    description: meta.description,
    fallback: meta.fallback,
    secret: meta.secret ?? false,
  });
  return z.preprocess((raw) => (raw === undefined || raw === '' ? meta.fallback : raw), schema);
}

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const positiveInt = z.coerce.number({ message: 'must be a number' }).int('must be a whole number').positive();

const byteSize = z
  .string()
  .regex(/^\d+(b|kb|mb)$/i, 'must be a size such as 512kb or 1mb')
  .transform((v) => v.toLowerCase());

const byteUnits: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/** A size such as `25mb`, as a number of bytes. */
const byteCount = byteSize.transform((v) => {
  const [, digits = '0', unit = 'b'] = /^(\d+)(b|kb|mb)$/.exec(v) ?? [];
  return Number(digits) * (byteUnits[unit] ?? 1);
});

const mongoUri = z
  .string()
  .regex(
    /^mongodb(\+srv)?:\/\/[^/?#]+/,
    'must be a mongodb:// or mongodb+srv:// connection string with a host',
  );

const redisUri = z.string().regex(/^rediss?:\/\/[^/?#]+/, 'must be a redis:// or rediss:// URL with a host');

const httpUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .transform((v) => v.replace(/\/$/, ''));

/**
 * Every environment variable Vestnik reads. Nothing else in the code reads `process.env`
 * (the README table and `.env.example` are checked against this schema by tests).
 */
export const envSchema = z.object({
  HOST: envVar('HOST', z.string().min(1), {
    description: 'Interface the HTTP API listens on.',
    fallback: '127.0.0.1',
  }),
  PORT: envVar('PORT', port, {
    description: 'TCP port of the HTTP API (0 picks a free one).',
    fallback: '8080',
  }),
  PUBLIC_URL: envVar('PUBLIC_URL', httpUrl.optional(), {
    description: 'Public base URL of the API, used in links and webhooks. Defaults to http://HOST:PORT.',
  }),
  MONGODB_URI: envVar('MONGODB_URI', mongoUri.optional(), {
    description:
      'MongoDB connection string (production: MongoDB 7 replica set). Unset: Vestnik starts an embedded FerretDB (SQLite) in DATA_DIR.',
    secret: true,
  }),
  MONGODB_DB: envVar('MONGODB_DB', z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be a database name'), {
    description: 'Database name used when MONGODB_URI names none (and for the embedded database).',
    fallback: 'vestnik',
  }),
  DATA_DIR: envVar('DATA_DIR', z.string().min(1), {
    description: 'Where local mode keeps the embedded database and data/local.json.',
    fallback: './data',
  }),
  TOOLS_DIR: envVar('TOOLS_DIR', z.string().min(1), {
    description: 'Git-ignored folder where the FerretDB binary is built once.',
    fallback: './tools',
  }),
  FERRETDB_BIN: envVar('FERRETDB_BIN', z.string().min(1).optional(), {
    description: 'Path to an existing FerretDB v1 binary; skips the build.',
  }),
  REDIS_URL: envVar('REDIS_URL', redisUri, {
    description:
      'Redis for queues, rate limits and the socket.io adapter (maxmemory-policy must be noeviction).',
    fallback: 'redis://127.0.0.1:6379',
    secret: true,
  }),
  QUEUE_PREFIX: envVar(
    'QUEUE_PREFIX',
    z.string().regex(/^[a-z0-9:_{}-]{1,40}$/, 'must be 1-40 of a-z 0-9 : _ - { }'),
    {
      description:
        'Key prefix in Redis (queues, notices, socket.io). On Redis Cluster use a hash tag such as {vestnik}.',
      fallback: 'vestnik',
    },
  ),
  WORKER_CONCURRENCY: envVar('WORKER_CONCURRENCY', positiveInt.max(1000), {
    description: 'Jobs a worker process runs at once per queue.',
    fallback: '10',
  }),
  JOB_LOCK_MS: envVar('JOB_LOCK_MS', positiveInt.min(2000).max(600_000), {
    description:
      'How long a worker holds a job between lock renewals (renewed every half of it); a job whose worker died (kill -9, lost host) runs again on another worker within about twice this.',
    fallback: '30000',
  }),
  LOG_LEVEL: envVar('LOG_LEVEL', z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), {
    description: 'pino log level.',
    fallback: 'info',
  }),
  HTTP_BODY_LIMIT: envVar('HTTP_BODY_LIMIT', byteSize, {
    description: 'Largest accepted JSON body.',
    fallback: '1mb',
  }),
  TRUST_PROXY: envVar('TRUST_PROXY', z.coerce.number().int().min(0).max(10), {
    description:
      'Number of reverse proxies in front of the API whose X-Forwarded-For is trusted (IP allowlists).',
    fallback: '0',
  }),
  SESSION_TTL_SECONDS: envVar('SESSION_TTL_SECONDS', positiveInt.min(60).max(2_592_000), {
    description: 'Lifetime of an operator session after login.',
    fallback: '43200',
  }),
  AUTH_CACHE_MS: envVar('AUTH_CACHE_MS', z.coerce.number().int().min(0).max(60_000), {
    description:
      'How long verified API keys and workspace facts are cached in memory (revoked keys are evicted at once via Redis).',
    fallback: '10000',
  }),
  API_RATE_LIMIT_PER_SECOND: envVar(
    'API_RATE_LIMIT_PER_SECOND',
    z.coerce.number().positive().max(1_000_000),
    {
      description:
        'Requests per second one API key or operator session may make to /v1 (token bucket shared through Redis); over it: 429 with Retry-After.',
      fallback: '100',
    },
  ),
  API_RATE_LIMIT_BURST: envVar('API_RATE_LIMIT_BURST', positiveInt.max(1_000_000), {
    description: 'Requests one credential may make at once before API_RATE_LIMIT_PER_SECOND applies.',
    fallback: '200',
  }),
  SHUTDOWN_TIMEOUT_MS: envVar('SHUTDOWN_TIMEOUT_MS', positiveInt.min(3000).max(14_000), {
    description:
      'Budget for a clean shutdown on SIGTERM/SIGINT before in-flight jobs are handed back to the queue.',
    fallback: '10000',
  }),
  METRICS_TOKEN: envVar('METRICS_TOKEN', z.string().min(16, 'must be at least 16 characters').optional(), {
    description: 'When set, GET /metrics requires `Authorization: Bearer <token>`.',
    secret: true,
  }),
  SECRETS_KEY: envVar(
    'SECRETS_KEY',
    z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 random bytes in base64 (openssl rand -base64 32)')
      .optional(),
    {
      description:
        'Key that encrypts channel secrets at rest (AES-256-GCM), 32 bytes in base64. Required with MONGODB_URI; in local mode it is generated once into DATA_DIR/secrets.key.',
      secret: true,
    },
  ),
  ATTACHMENT_MAX_BYTES: envVar('ATTACHMENT_MAX_BYTES', byteCount, {
    description:
      'Largest inbound file Vestnik downloads and keeps (GridFS); larger files are recorded without content.',
    fallback: '25mb',
  }),
  SANDBOX: envVar('SANDBOX', z.enum(['auto', 'on', 'off'], { message: 'must be auto, on or off' }), {
    description:
      'Run the platform sandbox (simulated VK, OK, Telegram, Viber, WhatsApp, SMSC, SMTP) inside `vestnik start`. auto: only in local mode.',
    fallback: 'auto',
  }),
  SANDBOX_PORT: envVar('SANDBOX_PORT', port, {
    description: 'HTTP port of the sandbox (platform APIs and the /_sandbox control API).',
    fallback: '8090',
  }),
  SANDBOX_SMPP_PORT: envVar('SANDBOX_SMPP_PORT', port, {
    description: 'TCP port of the sandbox SMSC (SMPP 3.4).',
    fallback: '2775',
  }),
  SANDBOX_SMTP_PORT: envVar('SANDBOX_SMTP_PORT', port, {
    description: 'TCP port of the sandbox SMTP server.',
    fallback: '2525',
  }),
  SANDBOX_SEED: envVar('SANDBOX_SEED', z.string().min(1).max(100), {
    description: 'Seed of the sandbox: the same seed gives the same accounts, tokens and ids.',
    fallback: 'vestnik',
  }),
  WEBHOOKS_ALLOW_PRIVATE: envVar('WEBHOOKS_ALLOW_PRIVATE', booleanFromEnv.optional(), {
    description:
      'Let outbound webhooks reach loopback and private-network addresses (and plain http). Unset: true in local mode, false with MONGODB_URI. Cloud metadata addresses are refused always.',
  }),
  DEMO_SEED: envVar('DEMO_SEED', booleanFromEnv, {
    description: 'Seed a demo workspace on first start in local mode (never with MONGODB_URI).',
    fallback: 'true',
  }),
  BOT_FLOWS_DIR: envVar('BOT_FLOWS_DIR', z.string().min(1).optional(), {
    description:
      'Folder of bot flow files, reloaded on change: one subfolder per workspace id (`demo` for the demo workspace) holding `*.yaml`, `*.yml`, `*.json` or `*.js` flows, which win over uploaded flows of the same name. Unset: DATA_DIR/bot-flows in local mode, none with MONGODB_URI.',
  }),
  BOT_FLOWS_REFRESH_MS: envVar('BOT_FLOWS_REFRESH_MS', z.coerce.number().int().min(100).max(600_000), {
    description:
      'How long a process keeps the active bot flows of a workspace before reading them again (changes made through the API reach other processes at once via Redis, or within this).',
    fallback: '2000',
  }),
});

export type Config = z.output<typeof envSchema>;
export type EnvKey = keyof z.input<typeof envSchema>;

export const envKeys = Object.keys(envSchema.shape) as EnvKey[];

export function envVarMeta(key: EnvKey): EnvVarMeta {
  const meta = metaByKey.get(key);
  if (!meta) throw new TypeError(`no metadata for ${key}`);
  return meta;
}
