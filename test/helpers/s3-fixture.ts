// A suite's usual start: a test server, a path-style SDK client as the platform root and the buckets it needs
// (and, for suites that read raw responses, a RawS3 beside it).
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { startTestServer, type TestServer } from './server.js';
import { RawS3 } from './raw-s3.js';
import { s3Client } from './s3-client.js';

export interface ServerWithClient {
  server: TestServer;
  s3: S3Client;
}

export async function serverWithBuckets(...buckets: string[]): Promise<ServerWithClient> {
  const server = await startTestServer();
  const s3 = s3Client(server.endpoint, server.platform, 'path');
  for (const bucket of buckets) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return { server, s3 };
}

export async function stopServerWithClient(server: TestServer, s3: S3Client): Promise<void> {
  s3.destroy();
  await server.stop();
}

export interface ServerWithRawClient extends ServerWithClient {
  raw: RawS3;
}

/** `start` picks the server (startTmpfsServer for suites that seed thousands of rows). */
export async function serverWithRawClient(start: () => Promise<TestServer> = startTestServer): Promise<ServerWithRawClient> {
  const server = await start();
  return { server, s3: s3Client(server.endpoint, server.platform, 'path'), raw: new RawS3(server.endpoint, server.platform) };
}

export async function stopServerWithRawClient({ server, s3, raw }: ServerWithRawClient): Promise<void> {
  raw.destroy();
  await stopServerWithClient(server, s3);
}
