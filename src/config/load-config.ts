import { type Config, envKeys, envSchema, envVarMeta } from './env-schema';

/** A configuration problem, already phrased as the one line an operator needs to read. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parse the environment into a typed config. The first invalid variable stops start-up with one
 * line naming it, what is wrong and (unless it is a secret) the value that was given.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const picked: Record<string, string | undefined> = {};
  for (const key of envKeys) picked[key] = env[key];
  const result = envSchema.safeParse(picked);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = String(issue?.path[0] ?? 'environment') as (typeof envKeys)[number];
  const meta = envKeys.includes(key) ? envVarMeta(key) : undefined;
  const given = picked[key];
  const shown = meta?.secret || given === undefined ? '' : ` (got ${JSON.stringify(given)})`;
  throw new ConfigError(`Invalid configuration: ${key} ${issue?.message ?? 'is invalid'}${shown}`);
}

export function publicUrl(config: Config, listeningPort: number): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  return `http://${host}:${listeningPort}`;
}
