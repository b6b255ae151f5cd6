// The lean S3 client: SigV4-signed request heads built ahead of time (src/protocol/sigv4.ts signs) for RawConnection.
//
// Signatures stay valid for S3's 15-minute clock-skew window, so a head signed before a measurement
// can be sent many times; ListObjectsV2 pages and multipart calls are signed as they go.
import { createHash } from 'node:crypto';
import { crc32 } from '@node-rs/crc32';
import { SigningKeyCache, signRequest, uriEncode, UNSIGNED_PAYLOAD, STREAMING_UNSIGNED_TRAILER } from '../../src/protocol/sigv4.js';
import type { RawConnection, RawRequest, RawResponse } from './raw-http.js';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface S3Endpoint {
  port: number;
  credentials: Credentials;
  region: string;
}

export class S3RequestError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** Encodes a key for a URL path: every segment RFC 3986-encoded, slashes kept. */
export function keyPath(bucket: string, key?: string): string {
  if (key === undefined) return `/${uriEncode(bucket)}`;
  return `/${uriEncode(bucket)}/${key.split('/').map(uriEncode).join('/')}`;
}

export function errorCodeOf(response: RawResponse): string {
  const text = response.body?.toString('utf8') ?? '';
  return /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? `HTTP ${response.status}`;
}

/** Throws S3RequestError unless the status is 2xx. */
export function expectOk(response: RawResponse, what: string): RawResponse {
  if (response.status >= 200 && response.status < 300) return response;
  const code = errorCodeOf(response);
  const message = /<Message>([^<]*)<\/Message>/.exec(response.body?.toString('utf8') ?? '')?.[1] ?? '';
  throw new S3RequestError(response.status, code, `${what}: ${response.status} ${code}${message ? ` (${message})` : ''}`);
}

export interface HeadSpec {
  method: string;
  path: string;
  query?: string;
  headers?: Record<string, string>;
  payloadHash?: string;
  contentLength?: number;
}

export class LeanS3 {
  readonly host: string;
  readonly #keys = new SigningKeyCache(16);

  constructor(readonly endpoint: S3Endpoint, readonly service = 's3') {
    this.host = `127.0.0.1:${endpoint.port}`;
  }

  /** A signed request head (request line, headers, blank line). */
  head(spec: HeadSpec): Buffer {
    const query = spec.query ?? '';
    const headers: Record<string, string> = { host: this.host, ...(spec.headers ?? {}) };
    if (spec.contentLength !== undefined) headers['content-length'] = String(spec.contentLength);
    const signed = signRequest({ method: spec.method, rawPath: spec.path, rawQuery: query, headers }, this.endpoint.credentials, this.endpoint.region, this.service, spec.payloadHash ?? UNSIGNED_PAYLOAD, Date.now(), this.#keys);
    let text = `${spec.method} ${spec.path}${query ? `?${query}` : ''} HTTP/1.1\r\n`;
    for (const [name, value] of Object.entries({ ...headers, ...signed })) text += `${name}: ${value}\r\n`;
    return Buffer.from(text + '\r\n', 'latin1');
  }

  putHead(bucket: string, key: string, sizeBytes: number, headers: Record<string, string> = {}): Buffer {
    return this.head({ method: 'PUT', path: keyPath(bucket, key), contentLength: sizeBytes, headers });
  }

  getHead(bucket: string, key: string, headers: Record<string, string> = {}): Buffer {
    return this.head({ method: 'GET', path: keyPath(bucket, key), headers });
  }

  headHead(bucket: string, key: string): Buffer {
    return this.head({ method: 'HEAD', path: keyPath(bucket, key) });
  }

  async call(conn: RawConnection, request: RawRequest, what: string): Promise<RawResponse> {
    return expectOk(await conn.request(request), what);
  }

  async createBucket(conn: RawConnection, bucket: string): Promise<void> {
    const response = await conn.request({ head: this.head({ method: 'PUT', path: keyPath(bucket), contentLength: 0 }) });
    if (response.status === 409) return; // BucketAlreadyOwnedByYou / BucketAlreadyExists: fine for a bench
    expectOk(response, `CreateBucket ${bucket}`);
  }

  async putSmall(conn: RawConnection, bucket: string, key: string, body: Buffer): Promise<void> {
    await this.call(conn, { head: this.putHead(bucket, key, body.length), body }, `PutObject ${key}`);
  }

  /** PutObject with a Content-Length body of `sizeBytes` made of repeated `source` views. */
  async putLarge(conn: RawConnection, bucket: string, key: string, sizeBytes: number, source: Buffer, timeoutMs: number): Promise<RawResponse> {
    return this.call(conn, { head: this.putHead(bucket, key, sizeBytes), bodyPieces: () => repeatedPieces(source, sizeBytes), timeoutMs }, `PutObject ${key}`);
  }

  /**
   * PutObject as a 2025-era SDK streams a body: aws-chunked (STREAMING-UNSIGNED-PAYLOAD-TRAILER)
   * with a CRC32 trailer. `bodyCrc32` is the CRC32 of the decoded bytes (computed by the caller
   * before timing, once per size).
   */
  async putAwsChunked(conn: RawConnection, bucket: string, key: string, sizeBytes: number, source: Buffer, chunkBytes: number, bodyCrc32: number, timeoutMs: number): Promise<RawResponse> {
    const trailer = `x-amz-checksum-crc32:${crc32Base64(bodyCrc32)}`;
    const encodedBytes = awsChunkedLength(sizeBytes, chunkBytes, trailer);
    const head = this.head({
      method: 'PUT', path: keyPath(bucket, key), payloadHash: STREAMING_UNSIGNED_TRAILER, contentLength: encodedBytes,
      headers: {
        'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(sizeBytes),
        'x-amz-trailer': 'x-amz-checksum-crc32', 'x-amz-sdk-checksum-algorithm': 'CRC32',
      },
    });
    return this.call(conn, { head, bodyPieces: () => awsChunkedPieces(source, sizeBytes, chunkBytes, trailer), timeoutMs }, `PutObject (aws-chunked) ${key}`);
  }

  async getLarge(conn: RawConnection, bucket: string, key: string, timeoutMs: number): Promise<number> {
    const response = await this.call(conn, { head: this.getHead(bucket, key), timeoutMs }, `GetObject ${key}`);
    return response.bodyBytes;
  }

  async delete(conn: RawConnection, bucket: string, key: string): Promise<void> {
    await this.call(conn, { head: this.head({ method: 'DELETE', path: keyPath(bucket, key) }) }, `DeleteObject ${key}`);
  }

  /** One ListObjectsV2 page: the keys' count and the continuation token, if any. */
  async listPage(conn: RawConnection, bucket: string, prefix: string, maxKeys: number, token?: string): Promise<{ keyCount: number; next?: string }> {
    const params = [`list-type=2`, `max-keys=${maxKeys}`, `prefix=${uriEncode(prefix)}`];
    if (token !== undefined) params.push(`continuation-token=${uriEncode(token)}`);
    const response = await this.call(conn, { head: this.head({ method: 'GET', path: keyPath(bucket), query: params.sort().join('&') }), keepBodyBytes: 64 * 1024 * 1024 }, 'ListObjectsV2');
    const text = response.body?.toString('utf8') ?? '';
    let keyCount = 0;
    for (let at = text.indexOf('<Key>'); at >= 0; at = text.indexOf('<Key>', at + 5)) keyCount++;
    const next = /<NextContinuationToken>([^<]+)<\/NextContinuationToken>/.exec(text)?.[1];
    const truncated = /<IsTruncated>true<\/IsTruncated>/.test(text);
    return truncated && next ? { keyCount, next: decodeXml(next) } : { keyCount };
  }

  copyHead(bucket: string, key: string, sourceBucket: string, sourceKey: string): Buffer {
    return this.head({ method: 'PUT', path: keyPath(bucket, key), contentLength: 0, headers: { 'x-amz-copy-source': keyPath(sourceBucket, sourceKey).slice(1) } });
  }

  async createMultipart(conn: RawConnection, bucket: string, key: string): Promise<string> {
    const response = await this.call(conn, { head: this.head({ method: 'POST', path: keyPath(bucket, key), query: 'uploads=', contentLength: 0 }), keepBodyBytes: 64 * 1024 }, `CreateMultipartUpload ${key}`);
    const id = /<UploadId>([^<]+)<\/UploadId>/.exec(response.body?.toString('utf8') ?? '')?.[1];
    if (!id) throw new Error('CreateMultipartUpload: no UploadId');
    return decodeXml(id);
  }

  uploadPartCopyHead(bucket: string, key: string, uploadId: string, partNumber: number, sourceBucket: string, sourceKey: string, range?: { first: number; last: number }): Buffer {
    const headers: Record<string, string> = { 'x-amz-copy-source': keyPath(sourceBucket, sourceKey).slice(1) };
    if (range) headers['x-amz-copy-source-range'] = `bytes=${range.first}-${range.last}`;
    return this.head({ method: 'PUT', path: keyPath(bucket, key), query: `partNumber=${partNumber}&uploadId=${uriEncode(uploadId)}`, contentLength: 0, headers });
  }

  /** UploadPartCopy; answers the part's ETag (quotes included). */
  async uploadPartCopy(conn: RawConnection, bucket: string, key: string, uploadId: string, partNumber: number, sourceBucket: string, sourceKey: string, range?: { first: number; last: number }, timeoutMs = 120_000): Promise<string> {
    const response = await this.call(conn, { head: this.uploadPartCopyHead(bucket, key, uploadId, partNumber, sourceBucket, sourceKey, range), keepBodyBytes: 64 * 1024, timeoutMs }, `UploadPartCopy ${key} #${partNumber}`);
    const etag = /<ETag>([^<]+)<\/ETag>/.exec(response.body?.toString('utf8') ?? '')?.[1];
    if (!etag) throw new Error('UploadPartCopy: no ETag');
    return decodeXml(etag);
  }

  async uploadPart(conn: RawConnection, bucket: string, key: string, uploadId: string, partNumber: number, sizeBytes: number, source: Buffer, timeoutMs: number): Promise<string> {
    const head = this.head({ method: 'PUT', path: keyPath(bucket, key), query: `partNumber=${partNumber}&uploadId=${uriEncode(uploadId)}`, contentLength: sizeBytes });
    const response = await this.call(conn, { head, bodyPieces: () => repeatedPieces(source, sizeBytes), timeoutMs }, `UploadPart ${key} #${partNumber}`);
    const etag = /\r\netag:[ \t]*([^\r\n]+)/i.exec(response.headerText)?.[1];
    if (!etag) throw new Error('UploadPart: no ETag');
    return etag.trim();
  }

  async completeMultipart(conn: RawConnection, bucket: string, key: string, uploadId: string, etags: string[], timeoutMs = 120_000): Promise<RawResponse> {
    const xml = '<CompleteMultipartUpload>' + etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${escapeXml(etag)}</ETag></Part>`).join('') + '</CompleteMultipartUpload>';
    const body = Buffer.from(xml);
    const head = this.head({ method: 'POST', path: keyPath(bucket, key), query: `uploadId=${uriEncode(uploadId)}`, contentLength: body.length, payloadHash: sha256HexOf(body) });
    const response = await this.call(conn, { head, body, keepBodyBytes: 64 * 1024, timeoutMs }, `CompleteMultipartUpload ${key}`);
    // S3 may answer 200 with an <Error> body when completion fails late.
    if (/<Error>/.test(response.body?.toString('utf8') ?? '')) throw new S3RequestError(200, errorCodeOf(response), `CompleteMultipartUpload ${key}: ${errorCodeOf(response)}`);
    return response;
  }
}

export function sha256HexOf(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function decodeXml(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x?[0-9a-f]+;/gi, (entity) => {
    const code = entity[2] === 'x' || entity[2] === 'X' ? parseInt(entity.slice(3, -1), 16) : parseInt(entity.slice(2, -1), 10);
    return String.fromCodePoint(code);
  }).replace(/&amp;/g, '&');
}

/** `sizeBytes` as views of `source` (no copies). */
export function* repeatedPieces(source: Buffer, sizeBytes: number): Generator<Buffer> {
  for (let sent = 0; sent < sizeBytes;) {
    const take = Math.min(source.length, sizeBytes - sent);
    yield source.subarray(0, take);
    sent += take;
  }
}

/** CRC32 of `sizeBytes` of repeated `source` (what repeatedPieces sends). */
export function repeatedCrc32(source: Buffer, sizeBytes: number): number {
  let state = 0;
  for (const piece of repeatedPieces(source, sizeBytes)) state = crc32(piece, state);
  return state >>> 0;
}

function crc32Base64(value: number): string {
  const out = Buffer.allocUnsafe(4);
  out.writeUInt32BE(value >>> 0, 0);
  return out.toString('base64');
}

function awsChunkedLength(sizeBytes: number, chunkBytes: number, trailer: string): number {
  let total = 0;
  for (let left = sizeBytes; left > 0; left -= chunkBytes) {
    const n = Math.min(chunkBytes, left);
    total += n.toString(16).length + 2 + n + 2;
  }
  return total + 3 + trailer.length + 4; // "0\r\n" + trailer + "\r\n\r\n"
}

/** aws-chunked framing (unsigned chunks) of repeated `source`, then the trailer; chunkBytes ≤ source.length. */
function* awsChunkedPieces(source: Buffer, sizeBytes: number, chunkBytes: number, trailer: string): Generator<Buffer> {
  const crlf = Buffer.from('\r\n');
  const fullHeader = Buffer.from(`${chunkBytes.toString(16)}\r\n`);
  let offset = 0;
  for (let left = sizeBytes; left > 0; left -= chunkBytes) {
    const n = Math.min(chunkBytes, left);
    yield n === chunkBytes ? fullHeader : Buffer.from(`${n.toString(16)}\r\n`);
    if (offset + n > source.length) offset = 0;
    yield source.subarray(offset, offset + n);
    offset += n;
    yield crlf;
  }
  yield Buffer.from(`0\r\n${trailer}\r\n\r\n`);
}

/** CRC32 of what awsChunkedPieces sends as data (the offsets wrap differently than repeatedPieces). */
export function awsChunkedCrc32(source: Buffer, sizeBytes: number, chunkBytes: number): number {
  let state = 0;
  let offset = 0;
  for (let left = sizeBytes; left > 0; left -= chunkBytes) {
    const n = Math.min(chunkBytes, left);
    if (offset + n > source.length) offset = 0;
    state = crc32(source.subarray(offset, offset + n), state);
    offset += n;
  }
  return state >>> 0;
}
