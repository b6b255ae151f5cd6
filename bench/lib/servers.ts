// The servers under test, each started as its own process on 127.0.0.1: s3push, its peers (moto, s3rver), and the do-nothing endpoint.
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { dataDirLayout, parseCredentialsFile } from '../../src/main/data-dir.js';
import type { BenchContext } from './context.js';
import { LeanS3, type Credentials } from './lean-s3.js';
import { freePort, waitForPort, type Child } from './processes.js';
import { RawConnection } from './raw-http.js';

export type ServerName = 'null' | 's3push' | 'moto' | 's3rver';

export interface RunningServer {
  name: ServerName;
  port: number;
  pid: number;
  endpoint: string;
  region: string;
  credentials: Credentials;
  lean: LeanS3;
  /** s3push only: its data directory and platform account. */
  dataDir?: string;
  accountId?: string;
  /** Stops the process and removes its data; answers the CPU profile path when profiling. */
  stop(): Promise<string | undefined>;
}

/** A server that could not be started: not installed (missing) or failed to start (error). */
export class ServerUnavailable extends Error {
  constructor(readonly server: ServerName, readonly status: 'missing' | 'error', message: string) {
    super(message);
  }
}

const startTimeoutMs = 30_000;
const region = 'us-east-1';

async function started(ctx: BenchContext, name: ServerName, child: Child, port: number, credentials: Credentials, dataDir: string | undefined, extra: Partial<RunningServer> = {}): Promise<RunningServer> {
  try {
    await waitForPort(port, child, startTimeoutMs);
  } catch (error) {
    await ctx.registry.stop(child, 1_000);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    throw new ServerUnavailable(name, 'error', (error as Error).message);
  }
  return {
    name, port, pid: child.pid, endpoint: `http://127.0.0.1:${port}`, region, credentials,
    lean: new LeanS3({ port, credentials, region }),
    ...(dataDir ? { dataDir } : {}),
    ...extra,
    async stop() {
      await ctx.registry.stop(child, 10_000);
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
      return undefined;
    },
  };
}

export interface S3pushStartOptions {
  /** Write a V8 CPU profile (node --cpu-prof) into this directory; stop() answers the file. */
  cpuProfileDir?: string;
  /** Reuse this data directory (filled by an earlier process) and leave it in place on stop. */
  dataDir?: string;
}

export async function startS3push(ctx: BenchContext, options: S3pushStartOptions = {}): Promise<RunningServer> {
  const dataDir = options.dataDir ?? await mkdtemp(join(ctx.tmpRoot, 's3push-'));
  const port = await freePort();
  const nodeFlags = options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [];
  if (options.cpuProfileDir) await mkdir(options.cpuProfileDir, { recursive: true });
  const before = options.cpuProfileDir ? new Set(await readdir(options.cpuProfileDir)) : undefined;
  const child = ctx.registry.spawn('s3push', process.execPath, [...nodeFlags, ...ctx.paths.cli.args, 'serve', '--data', dataDir, '--port', String(port), '--quiet'], { cwd: ctx.paths.repoRoot });
  const server = await started(ctx, 's3push', child, port, { accessKeyId: '', secretAccessKey: '' }, options.dataDir ? undefined : dataDir);
  const layout = dataDirLayout(dataDir);
  const platform = parseCredentialsFile(await readFile(layout.credentials, 'utf8')).get('platform');
  if (!platform?.['aws_access_key_id'] || !platform['aws_secret_access_key']) throw new ServerUnavailable('s3push', 'error', `no [platform] profile in ${layout.credentials}`);
  const credentials = { accessKeyId: platform['aws_access_key_id'], secretAccessKey: platform['aws_secret_access_key'] };
  const info = JSON.parse(await readFile(layout.serverInfo, 'utf8')) as { platformAccountId: string };
  const stopBase = server.stop;
  return {
    ...server,
    credentials,
    dataDir,
    accountId: info.platformAccountId,
    lean: new LeanS3({ port, credentials, region }),
    async stop() {
      await stopBase();
      if (!options.cpuProfileDir || !before) return undefined;
      const created = (await readdir(options.cpuProfileDir)).filter((f) => f.endsWith('.cpuprofile') && !before.has(f));
      return created.length > 0 ? join(options.cpuProfileDir, created[0]!) : undefined;
    },
  };
}

export async function startMoto(ctx: BenchContext): Promise<RunningServer> {
  const port = await freePort();
  let child: Child;
  try {
    // MOTO_* defaults: IAM enforcement off (moto only checks identity policies anyway; see s3-servers.md §4).
    child = ctx.registry.spawn('moto', 'moto_server', ['-H', '127.0.0.1', '-p', String(port)], { env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  } catch {
    throw new ServerUnavailable('moto', 'missing', 'moto_server is not on PATH (pip install "moto[server]")');
  }
  return started(ctx, 'moto', child, port, { accessKeyId: 'AKIABENCHMOTO0000000', secretAccessKey: 'bench-secret' }, undefined);
}

export async function startS3rver(ctx: BenchContext): Promise<RunningServer> {
  let bin: string;
  try {
    const require = createRequire(join(ctx.paths.repoRoot, 'package.json'));
    bin = join(require.resolve('s3rver/package.json'), '..', 'bin', 's3rver.js');
  } catch {
    throw new ServerUnavailable('s3rver', 'missing', 's3rver is not installed (npm install -D s3rver)');
  }
  const dataDir = await mkdtemp(join(ctx.tmpRoot, 's3rver-'));
  const port = await freePort();
  // s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (Node >= 17) only
  // offers through the legacy provider: without it every truncated listing answers 500.
  const child = ctx.registry.spawn('s3rver', process.execPath, ['--openssl-legacy-provider', bin, '-d', dataDir, '-a', '127.0.0.1', '-p', String(port), '--silent'], { cwd: ctx.paths.repoRoot });
  // s3rver's one hard-coded account (S3RVER/S3RVER).
  return started(ctx, 's3rver', child, port, { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, dataDir);
}

export async function startNullServer(ctx: BenchContext): Promise<RunningServer> {
  const port = await freePort();
  const child = ctx.registry.spawn('null', process.execPath, [ctx.paths.nullServer, '--port', String(port)]);
  return started(ctx, 'null', child, port, { accessKeyId: 'AKIANULL000000000000', secretAccessKey: 'null' }, undefined);
}

export async function startServerByName(ctx: BenchContext, name: ServerName): Promise<RunningServer> {
  switch (name) {
    case 's3push': return startS3push(ctx);
    case 'moto': return startMoto(ctx);
    case 's3rver': return startS3rver(ctx);
    case 'null': return startNullServer(ctx);
  }
}

/** Creates a bucket through the lean client (every server under test accepts a path-style CreateBucket). */
export async function createBucket(server: RunningServer, bucket: string): Promise<void> {
  const conn = new RawConnection(server.port);
  try {
    await server.lean.createBucket(conn, bucket);
  } finally {
    conn.close();
  }
}
