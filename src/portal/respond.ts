// Writes a portal response to the socket (security headers on everything, streamed bodies with
// back-pressure) and turns errors into JSON for the API or an HTML page for browsers.
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { S3Error } from '../core/errors.js';
import type { Logger } from '../api/services.js';
import { securityHeaders, type PortalResponse, PortalHttpError } from './http-util.js';

export async function writeResponse(res: ServerResponse, response: PortalResponse): Promise<void> {
  const headers = { ...securityHeaders, ...response.headers };
  const body = response.body;
  if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
    const bytes = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
    res.writeHead(response.status, { ...headers, 'content-length': String(bytes?.length ?? 0) });
    res.end(bytes);
    return;
  }
  res.writeHead(response.status, headers);
  await pipeline(Readable.from(body), res);
}

/** Status and a message fit to show: S3Errors keep theirs; anything unexpected is logged and hidden. */
export function describeError(error: unknown, log: Logger, requestId: string): { status: number; code: string; message: string } {
  if (error instanceof S3Error) return { status: error.status, code: error.code, message: error.message };
  if (error instanceof PortalHttpError) return { status: error.status, code: error.status === 413 ? 'MaxMessageLengthExceeded' : 'BadRequest', message: error.message };
  log.error('portal request failed', { requestId, error: error instanceof Error ? error.stack ?? error.message : String(error) });
  return { status: 500, code: 'InternalError', message: 'Something went wrong on the server. Try again; if it keeps happening, tell the platform operator.' };
}

export function jsonError(status: number, code: string, message: string, requestId: string, headers: Record<string, string> = {}): PortalResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify({ error: { code, message }, requestId }),
  };
}
