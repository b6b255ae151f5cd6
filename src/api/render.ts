// Writes responses and errors to the socket: S3's flat <Error>, S3 Control's and Query APIs' <ErrorResponse>, JSON.
import type { ServerResponse } from 'node:http';
import { once } from 'node:events';
import { limits } from '../core/limits.js';
import { S3Error } from '../core/errors.js';
import { el, escapeXml } from '../protocol/xml.js';
import type { ApiService } from '../protocol/request-target.js';
import type { ApiResponse } from './context.js';

export interface ResponseIds {
  requestId: string;
  hostId: string;
}

/** Sends a handler's response; streams iterable bodies with back-pressure. */
export async function sendResponse(res: ServerResponse, response: ApiResponse, ids: ResponseIds, isHead: boolean): Promise<void> {
  res.statusCode = response.status;
  setStandardHeaders(res, ids);
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) res.setHeader(name, value);
  }
  const body = response.body;
  if (body === undefined || isHead) {
    if (body !== undefined && !res.hasHeader('content-length') && typeof body !== 'object') res.setHeader('content-length', Buffer.byteLength(body));
    if (isHead && body !== undefined && typeof body === 'object' && Symbol.asyncIterator in body) await drainIterable(body);
    res.end();
    return;
  }
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    res.setHeader('content-length', Buffer.byteLength(body));
    res.end(body);
    return;
  }
  await streamBody(res, body);
}

/**
 * Writes an iterable body with back-pressure. The chunks the iterable has ready without waiting
 * (a file read decrypts into several segments) go out corked, as one writev; writing pauses while
 * more than limits.responseBufferedBytesMax is queued. Throws if the client goes away first, after
 * stopping the iterable (which closes its file).
 */
async function streamBody(res: ServerResponse, body: AsyncIterable<Buffer>): Promise<void> {
  const closed = once(res, 'close').then(() => {
    throw Object.assign(new Error('the client closed the connection before the body was sent'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });
  closed.catch(() => {});
  let corked = false;
  const uncork = (): void => {
    corked = false;
    res.uncork();
  };
  for await (const chunk of body) {
    if (res.destroyed) await closed;
    if (!corked) {
      corked = true;
      res.cork();
      process.nextTick(uncork); // after every chunk that is ready now has been written
    }
    res.write(chunk);
    if (res.writableLength >= limits.responseBufferedBytesMax) {
      if (corked) uncork();
      await Promise.race([once(res, 'drain'), closed]);
    }
  }
  if (corked) uncork();
  res.end();
  await Promise.race([once(res, 'finish'), closed]);
}

async function drainIterable(body: AsyncIterable<Buffer>): Promise<void> {
  const iterator = body[Symbol.asyncIterator]();
  await iterator.return?.();
}

function setStandardHeaders(res: ServerResponse, ids: ResponseIds): void {
  res.setHeader('x-amz-request-id', ids.requestId);
  res.setHeader('x-amz-id-2', ids.hostId);
  res.setHeader('server', 's3push');
}

/** Converts anything thrown into an S3Error; unknown failures become InternalError (details go to the log). */
export function toS3Error(error: unknown): S3Error {
  if (error instanceof S3Error) return error;
  return new S3Error('InternalError');
}

export function renderError(service: ApiService, error: S3Error, ids: ResponseIds, resource: string | undefined): ApiResponse {
  const headers = { ...error.headers };
  switch (service) {
    case 's3': {
      const fields = Object.entries(error.fields).map(([name, value]) => el(name, value)).join('');
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${el('Code', error.code)}${el('Message', error.message)}${fields}${resource !== undefined && !('Key' in error.fields) && !('BucketName' in error.fields) ? el('Resource', resource) : ''}${el('RequestId', ids.requestId)}${el('HostId', ids.hostId)}</Error>`;
      return { status: error.status, headers: { ...headers, 'content-type': 'application/xml' }, body };
    }
    case 's3control': {
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error>${el('Code', error.code)}${el('Message', error.message)}</Error>${el('RequestId', ids.requestId)}${el('HostId', ids.hostId)}</ErrorResponse>`;
      return { status: error.status, headers: { ...headers, 'content-type': 'application/xml' }, body };
    }
    case 'sts':
    case 'iam': {
      const ns = service === 'sts' ? 'https://sts.amazonaws.com/doc/2011-06-15/' : 'https://iam.amazonaws.com/doc/2010-05-08/';
      const type = error.status >= 500 ? 'Receiver' : 'Sender';
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${ns}"><Error><Type>${type}</Type>${el('Code', error.code)}<Message>${escapeXml(error.message)}</Message></Error>${el('RequestId', ids.requestId)}</ErrorResponse>`;
      return { status: error.status, headers: { ...headers, 'content-type': 'text/xml' }, body };
    }
    case 'admin': {
      const body = JSON.stringify({ error: { code: error.code, message: error.message, ...error.fields }, requestId: ids.requestId });
      return { status: error.status, headers: { ...headers, 'content-type': 'application/json' }, body };
    }
  }
}
