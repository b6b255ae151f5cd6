// Hand-built SigV4 requests for what the AWS SDK will not send (wrong payload hashes, missing lengths,
// truncated bodies): over node:http, or over a bare socket when the request must be cut off mid-body.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { signRequest, sha256Hex } from '../../src/protocol/sigv4.js';
import type { Credentials } from './server.js';

export interface RawRequest {
  method: string;
  /** Raw (already percent-encoded) path, e.g. `/bucket/key`. */
  path: string;
  /** Raw query without '?'. */
  query?: string;
  /** Lower-case header names; all are signed. `host` is added. */
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** x-amz-content-sha256 to declare; defaults to the real hash of the body. */
  payloadHash?: string;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The headers (including authorization) that sign `req` for `endpoint`. */
export function signedHeaders(endpoint: string, credentials: Credentials, req: RawRequest): Record<string, string> {
  const url = new URL(endpoint);
  const body = req.body ?? '';
  const headers: Record<string, string> = { host: url.host, ...(req.headers ?? {}) };
  const payloadHash = req.payloadHash ?? sha256Hex(Buffer.isBuffer(body) ? body : Buffer.from(body));
  const added = signRequest({ method: req.method, rawPath: req.path, rawQuery: req.query ?? '', headers }, credentials, 'us-east-1', 's3', payloadHash, Date.now());
  return { ...headers, ...added };
}

/** Sends a signed request with node:http and reads the whole response. */
export function rawRequest(endpoint: string, credentials: Credentials, req: RawRequest): Promise<RawResponse> {
  const url = new URL(endpoint);
  const headers = signedHeaders(endpoint, credentials, req);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({
      host: url.hostname,
      port: url.port,
      method: req.method,
      path: req.path + (req.query ? `?${req.query}` : ''),
      headers,
      agent: false,
    }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

/**
 * Writes the signed request head and `sentBody` over a bare socket, then returns what the server
 * answered (if anything) once it closes the socket or `waitMs` passes. With `destroyAfterBody` the
 * client disconnects after the partial body (once `beforeDestroy` resolves), as a crashed client would.
 */
export function socketRequest(
  endpoint: string,
  credentials: Credentials,
  req: RawRequest & { sentBody?: Buffer; destroyAfterBody?: boolean; waitMs?: number; beforeDestroy?: () => Promise<void> },
): Promise<string> {
  const url = new URL(endpoint);
  const headers = signedHeaders(endpoint, credentials, req);
  const head = `${req.method} ${req.path}${req.query ? `?${req.query}` : ''} HTTP/1.1\r\n` +
    Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('') + '\r\n';
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const received: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), req.waitMs ?? 2_000);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', (error) => { clearTimeout(timer); reject(error); });
    socket.on('close', () => { clearTimeout(timer); resolve(Buffer.concat(received).toString('latin1')); });
    socket.write(head);
    socket.write(req.sentBody ?? Buffer.alloc(0), () => {
      if (!req.destroyAfterBody) return;
      void (req.beforeDestroy?.() ?? Promise.resolve()).finally(() => socket.destroy());
    });
  });
}

/** The text of one XML element in a small response body (error bodies, results). */
export function xmlField(body: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(body);
  return m?.[1];
}
