// Test fixture: a real s3push server in a temp data dir, plus accounts and SDK clients pointed at it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer, type ServerOptions } from '../../src/main/start-server.js';
import { createAccountWithRootKey } from '../../src/iam/accounts.js';
import { readPlatformCredentials } from '../../src/main/bootstrap.js';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface TestServer {
  server: RunningServer;
  endpoint: string;
  port: number;
  dataDir: string;
  platform: Credentials;
  createAccount(name: string, accountId?: string): Promise<Credentials & { accountId: string }>;
  /** Root credentials of the platform or of an account made by createAccount. */
  rootOf(accountId: string): Promise<Credentials>;
  stop(): Promise<void>;
}

export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 's3push-test-')));
  const server = await startServer({ port: 0, quiet: true, ...options, dataDir });
  const platform = await readPlatformCredentials(server.layout);
  const roots = new Map<string, Credentials>([[server.platform.accountId, platform]]);
  return {
    server,
    endpoint: server.endpoint,
    port: server.port,
    dataDir,
    platform,
    async createAccount(name, accountId) {
      const created = await createAccountWithRootKey(server.services.meta, server.services.clock, { name, ...(accountId ? { accountId } : {}) });
      const credentials = { accessKeyId: created.accessKeyId, secretAccessKey: created.secretAccessKey };
      roots.set(created.account.accountId, credentials);
      return { accountId: created.account.accountId, ...credentials };
    },
    async rootOf(accountId) {
      const credentials = roots.get(accountId);
      if (!credentials) throw new Error(`no root credentials known for account ${accountId}`);
      return credentials;
    },
    async stop() {
      await server.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
