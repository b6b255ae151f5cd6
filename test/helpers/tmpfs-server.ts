// A test server whose data directory lives in memory (/dev/shm when present), for suites that seed
// thousands of rows: every commit fsyncs, which on a shared disk costs milliseconds per object.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerOptions } from '../../src/main/start-server.js';
import { startTestServer, type TestServer } from './server.js';

export async function startTmpfsServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dataDir = await mkdtemp(join(base, 's3push-test-'));
  const server = await startTestServer({ ...options, dataDir });
  return {
    ...server,
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
