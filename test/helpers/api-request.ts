// Signed JSON API requests (SigV4, service "s3push") with any credentials — a partner's role session as well
// as the platform root — returning the raw status, headers and body (adminCall only returns parsed successes).
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { sha256Hex, signRequest } from '../../src/protocol/sigv4.js';
import type { Credentials } from './server.js';

export interface ApiResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The parsed body when it is JSON. */
  json: unknown;
}

/** `path` includes /api/v1 and any query string; `body` is sent as JSON (a string is sent as is). */
export function apiRequest(endpoint: string, credentials: Credentials, method: string, path: string, body?: unknown): Promise<ApiResponse> {
  const url = new URL(path, endpoint);
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { host: url.host, 'content-type': 'application/json' };
  Object.assign(headers, signRequest({ method, rawPath: url.pathname, rawQuery: url.search.slice(1), headers }, credentials, 'us-east-1', 's3push', sha256Hex(text), Date.now()));
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, 'content-length': String(Buffer.byteLength(text)) }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const responseText = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        if (/json/.test(res.headers['content-type'] ?? '') && responseText) json = JSON.parse(responseText);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: responseText, json });
      });
    });
    req.on('error', reject);
    req.end(text);
  });
}
