import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../config/load-config';

/**
 * The key for channel secrets: SECRETS_KEY when set; in local mode a key generated once into
 * `DATA_DIR/secrets.key` (mode 0600), so the embedded demo needs no configuration. With an external
 * database the key must come from configuration: a generated key on one machine would make the
 * secrets unreadable for every other process.
 */
export async function resolveSecretsKey(options: {
  configured: string | undefined;
  dataDir: string;
  databaseMode: 'embedded' | 'external';
}): Promise<Buffer> {
  if (options.configured) return Buffer.from(options.configured, 'base64');
  if (options.databaseMode === 'external') {
    throw new ConfigError(
      'SECRETS_KEY is required with MONGODB_URI (generate one with: openssl rand -base64 32)',
    );
  }
  const file = path.join(options.dataDir, 'secrets.key');
  const existing = await readFile(file, 'utf8').catch(() => null);
  if (existing) return Buffer.from(existing.trim(), 'base64');
  await mkdir(options.dataDir, { recursive: true });
  const key = randomBytes(32);
  await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' }).catch(
    async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    },
  );
  return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
}
