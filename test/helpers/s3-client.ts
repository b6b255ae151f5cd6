// AWS SDK for JavaScript v3 clients for tests: path style, or virtual-host style with *.localhost resolved locally.
import { Agent } from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Credentials } from './server.js';

/** An http.Agent whose DNS lookup answers 127.0.0.1 for every name (*.localhost does not resolve here). */
export function loopbackAgent(): Agent {
  return new Agent({
    keepAlive: true,
    lookup: (_hostname, options, callback) => {
      if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
      else callback(null, '127.0.0.1', 4);
    },
  });
}

export function s3Client(endpoint: string, credentials: Credentials, style: 'path' | 'virtual' = 'path', region = 'us-east-1'): S3Client {
  const url = new URL(endpoint);
  const virtualEndpoint = `${url.protocol}//localhost:${url.port}`;
  return new S3Client({
    endpoint: style === 'path' ? endpoint : virtualEndpoint,
    region,
    credentials,
    forcePathStyle: style === 'path',
    requestHandler: new NodeHttpHandler({ httpAgent: loopbackAgent() }),
  });
}
