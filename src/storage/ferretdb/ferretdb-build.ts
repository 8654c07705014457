import { spawn } from 'node:child_process';
import { access, chmod, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { withFileLock } from '../file-lock';

export const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
export const FERRETDB_VERSION = 'v1.24.2';

export type ProgressFn = (line: string) => void;

export interface FerretDbBuildOptions {
  toolsDir: string;
  onProgress: ProgressFn;
}

/** Where the binary of the pinned version lives inside the tools folder. */
export function ferretDbBinaryPath(toolsDir: string): string {
  return path.resolve(toolsDir, `ferretdb-${FERRETDB_VERSION}`, 'bin', 'ferretdb');
}

/**
 * Builds FerretDB once into the tools folder and returns the binary's path.
 *
 * Why not a bare `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2`: the binary it
 * produces panics at start ("Invalid build/version/version.txt file content"), because the module
 * zip lacks that generated file; and `go install m@v` first asks the proxy for the module's
 * version list (deprecation check), which some proxies refuse (403). So we take the very same
 * pinned, checksum-verified module with `go mod download`, add the version file its own build
 * task would generate, and `go build` it. Concurrent callers wait on a lock; the build runs once.
 */
export async function ensureFerretDbBuilt(options: FerretDbBuildOptions): Promise<string> {
  const binary = ferretDbBinaryPath(options.toolsDir);
  if (await isBuilt(binary)) return binary;
  await mkdir(options.toolsDir, { recursive: true });
  return withFileLock(path.join(options.toolsDir, 'ferretdb-build.lock'), async () => {
    if (await isBuilt(binary)) return binary;
    await buildFerretDb(binary, options);
    return binary;
  });
}

async function isBuilt(binary: string): Promise<boolean> {
  try {
    await access(binary);
    return (await readFile(`${binary}.version`, 'utf8')).trim() === FERRETDB_VERSION;
  } catch {
    return false;
  }
}

async function buildFerretDb(binary: string, { toolsDir, onProgress }: FerretDbBuildOptions): Promise<void> {
  const started = Date.now();
  onProgress(
    `FerretDB ${FERRETDB_VERSION} is not built yet: building it once into ${toolsDir} (about a minute).`,
  );
  const goVersion = await run('go', ['version'], { cwd: toolsDir }).catch(() => null);
  if (!goVersion) {
    throw new Error(
      'Go is required to build the embedded FerretDB but `go` was not found on PATH. Install Go, or set FERRETDB_BIN to a FerretDB v1 binary, or set MONGODB_URI.',
    );
  }
  onProgress(`[1/3] downloading ${FERRETDB_MODULE}@${FERRETDB_VERSION} (${goVersion.trim()})`);
  const moduleDir = await downloadModule(toolsDir);
  onProgress('[2/3] preparing sources');
  const sourceDir = path.resolve(toolsDir, `ferretdb-${FERRETDB_VERSION}`, 'src');
  await rm(sourceDir, { recursive: true, force: true });
  await cp(moduleDir, sourceDir, { recursive: true });
  await makeWritable(sourceDir);
  await writeFile(path.join(sourceDir, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
  const total = (await run('go', ['list', '-deps', './cmd/ferretdb'], { cwd: sourceDir })).split('\n').length;
  let compiled = 0;
  let lastReport = 0;
  await run('go', ['build', '-v', '-trimpath', '-o', binary, './cmd/ferretdb'], {
    cwd: sourceDir,
    onStderrLine: () => {
      compiled += 1;
      if (Date.now() - lastReport > 2000) {
        lastReport = Date.now();
        onProgress(`[3/3] compiling: ${Math.min(compiled, total)}/${total} packages`);
      }
    },
  });
  await writeFile(`${binary}.version`, `${FERRETDB_VERSION}\n`);
  await rm(sourceDir, { recursive: true, force: true });
  onProgress(
    `FerretDB ${FERRETDB_VERSION} built in ${Math.round((Date.now() - started) / 1000)} s: ${binary}`,
  );
}

async function downloadModule(toolsDir: string): Promise<string> {
  const out = await run('go', ['mod', 'download', '-json', `${FERRETDB_MODULE}@${FERRETDB_VERSION}`], {
    cwd: toolsDir,
  });
  const info = JSON.parse(out) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download failed: ${info.Error ?? out}`);
  return info.Dir;
}

async function makeWritable(dir: string): Promise<void> {
  await run('chmod', ['-R', 'u+w', dir], { cwd: dir });
  await chmod(dir, 0o755);
}

interface RunOptions {
  cwd: string;
  onStderrLine?: (line: string) => void;
}

function run(command: string, args: string[], options: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, GOFLAGS: '-buildvcs=false', GOTOOLCHAIN: 'local', CGO_ENABLED: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderrTail = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      stderrTail = (stderrTail + text).slice(-4000);
      if (options.onStderrLine)
        for (const line of text.split('\n').filter(Boolean)) options.onStderrLine(line);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stderrTail.trim()}`));
    });
  });
}
