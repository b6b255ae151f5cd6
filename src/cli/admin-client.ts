// Talks to a running server's admin API with the platform credentials from the data directory (SigV4, service s3push).
import { request } from 'node:http';
import { dataDirLayout } from '../main/data-dir.js';
import { readPlatformCredentials } from '../main/bootstrap.js';
import { sha256Hex, signRequest } from '../protocol/sigv4.js';

export interface AdminTarget {
  endpoint: string;
  dataDir: string;
}

export class CliError extends Error {}

export async function adminCall<T>(target: AdminTarget, method: string, path: string, body?: unknown): Promise<T> {
  let credentials;
  try {
    credentials = await readPlatformCredentials(dataDirLayout(target.dataDir));
  } catch {
    throw new CliError(`cannot read platform credentials in ${target.dataDir} (start the server with --data ${target.dataDir} first, or pass --data)`);
  }
  const url = new URL(path, target.endpoint);
  const text = body === undefined ? '' : JSON.stringify(body);
  const headers: Record<string, string> = { host: url.host, 'content-type': 'application/json' };
  Object.assign(headers, signRequest({ method, rawPath: url.pathname, rawQuery: url.search.slice(1), headers }, credentials, 'us-east-1', 's3push', sha256Hex(text), Date.now()));
  const { status, responseText } = await new Promise<{ status: number; responseText: string }>((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, 'content-length': Buffer.byteLength(text) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, responseText: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) => reject(new CliError(error.code === 'ECONNREFUSED' ? `no s3push server at ${target.endpoint} (start one with: s3push serve)` : `${target.endpoint}: ${error.message}`)));
    req.end(text);
  });
  let parsed: unknown;
  try {
    parsed = responseText ? JSON.parse(responseText) : undefined;
  } catch {
    throw new CliError(`${target.endpoint} answered ${status} with a body that is not JSON (is it an s3push server?)`);
  }
  if (status >= 400) {
    const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new CliError(`${error?.code ?? status}: ${error?.message ?? responseText}`);
  }
  return parsed as T;
}
