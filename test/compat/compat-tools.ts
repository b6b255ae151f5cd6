// Shared pieces of the compatibility suites: run a client as a child process (never blocking the
// in-process server), temp trees, file digests, and /etc/hosts lines for virtual-host-style clients.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: Buffer | string;
  timeoutMs?: number;
}

const runTimeoutMs = 120_000;

/** Runs a command asynchronously (the server under test lives in this process); kills it on timeout. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? runTimeoutMs);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => { clearTimeout(timer); reject(error); });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => { /* the tool may exit without reading its input */ });
    child.stdin.end(options.input);
  });
}

/** Runs a command that must succeed; the error carries its output. */
export async function mustRun(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.code}\nstdout: ${result.stdout.slice(0, 4000)}\nstderr: ${result.stderr.slice(0, 4000)}`);
  }
  return result.stdout;
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `s3push-${prefix}-`));
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

/** File names real users have: spaces, unicode (NFC), '+', '=', '&', '%', shell and URL specials. */
export const trickyTree: Record<string, string> = {
  'plain.txt': 'plain\n',
  'a b.txt': 'space\n',
  'ünï cødé.txt': 'unicode\n',
  '日本語/ファイル.txt': 'cjk\n',
  'a+b=c&d.txt': 'plus equals ampersand\n',
  'with space/y%20z.txt': 'percent twenty\n',
  "tilde~(paren)!*'.txt": 'sub-delims\n',
  'semi;colon,comma@at$.txt': 'more specials\n',
  'deep/er/nest/file.bin': 'x'.repeat(10_000),
};

export async function writeTree(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [name, body] of Object.entries(files)) {
    const path = join(root, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body);
  }
}

/** Relative path → contents of every file under root. */
export async function readTree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out[relative(root, path).normalize('NFC')] = await readFile(path, 'utf8');
    }
  };
  await walk(root);
  return out;
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path).on('data', (chunk) => hash.update(chunk)).on('error', reject).on('end', () => resolve(hash.digest('hex')));
  });
}

/** Writes `sizeBytes` of deterministic pseudo-random bytes (fast, no entropy pool drain). */
export async function writeBigFile(path: string, sizeBytes: number, seed = 1): Promise<void> {
  const block = Buffer.alloc(1024 * 1024);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < block.length; i += 4) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    block.writeUInt32LE(x, i);
  }
  const blocks: Buffer[] = [];
  for (let written = 0, n = 0; written < sizeBytes; n++) {
    const length = Math.min(block.length, sizeBytes - written);
    const copy = Buffer.from(block.subarray(0, length));
    copy.writeUInt32LE(n, 0); // no two MiB alike, so a misplaced part changes the digest
    blocks.push(copy);
    written += length;
  }
  await writeFile(path, Buffer.concat(blocks));
}

/** ETag S3 gives a multipart upload of `body` cut into `partSizeBytes` parts. */
export function multipartEtag(body: Buffer, partSizeBytes: number): string {
  const digests: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += partSizeBytes) {
    digests.push(createHash('md5').update(body.subarray(offset, offset + partSizeBytes)).digest());
  }
  return `"${createHash('md5').update(Buffer.concat(digests)).digest('hex')}-${digests.length}"`;
}

/** Path of a helper script kept beside the sources (test/compat/python), from the compiled test file. */
export function pythonScript(name: string): string {
  const candidates = [
    fileURLToPath(new URL(`../../../test/compat/python/${name}`, import.meta.url)),
    fileURLToPath(new URL(`./python/${name}`, import.meta.url)),
  ];
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`python helper ${name} not found in ${candidates.join(', ')}`);
  return found;
}

const hostsPath = '/etc/hosts';
const hostsLockPath = '/etc/hosts.s3push-compat.lock';
const hostsLockWaitMs = 10_000;

/** Serializes our read-modify-write of /etc/hosts across test processes (suites run concurrently). */
async function withHostsLock<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + hostsLockWaitMs;
  for (;;) {
    try {
      await (await open(hostsLockPath, 'wx')).close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(hostsLockPath, { force: true });
  }
}

/**
 * Maps names to 127.0.0.1 in /etc/hosts (clients in other processes cannot use our custom lookup):
 * returns the function that removes exactly these lines, or a reason when that is impossible.
 */
export async function addLoopbackHosts(names: readonly string[]): Promise<{ cleanup: () => Promise<void> } | { reason: string }> {
  if (process.getuid?.() !== 0) return { reason: 'virtual-host style needs *.localhost names in /etc/hosts, and this test is not running as root' };
  const marker = `# s3push-compat ${process.pid} ${Date.now()}`;
  try {
    await withHostsLock(async () => {
      const before = await readFile(hostsPath, 'utf8');
      const lines = names.map((name) => `127.0.0.1 ${name} ${marker}`).join('\n');
      await writeFile(hostsPath, `${before.endsWith('\n') || before === '' ? before : before + '\n'}${lines}\n`);
    });
  } catch (error) {
    return { reason: `cannot edit ${hostsPath}: ${String(error)}` };
  }
  return {
    cleanup: () => withHostsLock(async () => {
      const current = await readFile(hostsPath, 'utf8');
      await writeFile(hostsPath, current.split('\n').filter((line) => !line.endsWith(marker)).join('\n'));
    }),
  };
}

/** Environment for tools that must not see the CA bundle (rclone refuses plain-http endpoints with it). */
export function withoutCaBundle(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy['AWS_CA_BUNDLE'];
  return copy;
}
