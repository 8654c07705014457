import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/** `data/local.json`: what a local instance tells scripts (URLs, demo credentials). Owner-readable only. */
export const localFileSchema = z.object({
  startedAt: z.string(),
  pid: z.number().int(),
  urls: z.object({
    api: z.string(),
    docs: z.string(),
    health: z.string(),
    ready: z.string(),
    socket: z.string(),
  }),
  /** The platform sandbox started with the service, and the demo channels wired to it. */
  sandbox: z
    .object({
      url: z.string(),
      /** Starts so far: the sandbox seed is SANDBOX_SEED plus this, so ids never repeat across restarts. */
      boot: z.number().int().min(1).default(1),
      control: z.string(),
      smpp: z.string(),
      smtp: z.string(),
      channels: z.array(z.object({ id: z.string(), type: z.string(), name: z.string() })),
      users: z.array(z.object({ id: z.string(), name: z.string(), phone: z.string() })),
    })
    .nullable()
    .default(null),
  demo: z
    .object({
      workspaceId: z.string(),
      apiKey: z.string(),
      operator: z.object({ email: z.string(), password: z.string() }),
      /** The approved demo template (`order_shipped`), to send notifications with at once. */
      template: z.object({ id: z.string(), name: z.string() }).nullable().default(null),
    })
    .nullable(),
});

export type LocalFile = z.infer<typeof localFileSchema>;

export function localFilePath(dataDir: string): string {
  return path.resolve(dataDir, 'local.json');
}

export async function readLocalFile(dataDir: string): Promise<LocalFile | null> {
  try {
    const parsed = localFileSchema.safeParse(JSON.parse(await readFile(localFilePath(dataDir), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function writeLocalFile(dataDir: string, content: LocalFile): Promise<string> {
  const file = localFilePath(dataDir);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return file;
}
