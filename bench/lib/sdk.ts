// AWS SDK for JavaScript v3 clients as users configure them (keep-alive, sockets sized to concurrency): what users see.
import { Agent } from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { RunningServer } from './servers.js';

export interface SdkClient {
  s3: S3Client;
  destroy(): void;
}

export function sdkClient(server: RunningServer, maxSockets: number, credentials = server.credentials): SdkClient {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const s3 = new S3Client({
    endpoint: server.endpoint,
    region: server.region,
    forcePathStyle: true,
    credentials,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: agent, connectionTimeout: 10_000, requestTimeout: 600_000 }),
  });
  return {
    s3,
    destroy() {
      s3.destroy();
      agent.destroy();
    },
  };
}
