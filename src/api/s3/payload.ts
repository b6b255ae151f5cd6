// Request payloads: decodes aws-chunked, enforces lengths and limits, verifies x-amz-content-sha256,
// Content-MD5 and x-amz-checksum-* (header or trailer) while the bytes stream through.
import { S3Error } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import type { ChecksumAlgorithm } from '../../storage/types.js';
import {
  algorithmFromHeaderName, checksumHeaderName, createHasher, isValidChecksumValue, parseAlgorithm, type Hasher,
} from '../../protocol/checksums.js';
import { AwsChunkedDecoder } from '../../protocol/aws-chunked.js';
import { streamHash } from '../../protocol/off-thread-hash.js';
import {
  ChunkSignatureChain, STREAMING_SIGNED, STREAMING_SIGNED_TRAILER, STREAMING_UNSIGNED_TRAILER,
} from '../../protocol/sigv4.js';
import { declaredPayloadHash } from '../authenticate.js';
import { header, type RequestContext } from '../context.js';

export interface PayloadOptions {
  /** Compute the MD5 of the decoded bytes (the ETag of PutObject and UploadPart). */
  md5: boolean;
  /** Compute this checksum even when the client sent none (uploads created with an algorithm). */
  checksumAlgorithm?: ChecksumAlgorithm | undefined;
  sizeBytesMax: number;
  /** PutObject and UploadPart need a length (Content-Length or x-amz-decoded-content-length). */
  requireLength: boolean;
  /**
   * The x-amz-checksum-* headers describe the object being made, not this body (CompleteMultipartUpload's
   * full-object checksum), so they are not checked against it.
   */
  checksumHeadersDescribeObject?: boolean;
}

export interface PayloadChecksum {
  algorithm: ChecksumAlgorithm;
  digest: Buffer;
  base64: string;
  /** True when the client sent this value (header or trailer) and it was verified. */
  provided: boolean;
}

export interface PayloadResult {
  sizeBytes: number;
  md5?: Buffer;
  checksum?: PayloadChecksum;
}

const nonValueChecksumHeaders = new Set(['x-amz-checksum-algorithm', 'x-amz-checksum-type', 'x-amz-checksum-mode']);

/** One request body, read once: iterate `chunks()`, then read `result`. */
export class Payload {
  readonly declaredLengthBytes: number | undefined;
  private readonly contentSha256: string | undefined;
  private readonly streaming: boolean;
  private readonly expectedChecksum?: { algorithm: ChecksumAlgorithm; base64?: string; trailer?: string };
  private readonly contentMd5?: Buffer;
  private finished?: PayloadResult;

  constructor(private readonly ctx: RequestContext, private readonly options: PayloadOptions) {
    this.contentSha256 = ctx.auth ? declaredPayloadHash(ctx, ctx.auth.kind === 'presigned') : undefined;
    this.streaming = this.contentSha256?.startsWith('STREAMING-') ?? false;
    const encoding = header(ctx, 'content-encoding') ?? '';
    if (!this.streaming && /(^|,)\s*aws-chunked\s*(,|$)/.test(encoding) && this.contentSha256 === undefined) {
      throw new S3Error('InvalidRequest', 'aws-chunked bodies must be signed with a STREAMING-* x-amz-content-sha256.');
    }
    this.declaredLengthBytes = this.parseDeclaredLength();
    if (this.declaredLengthBytes === undefined && options.requireLength) throw new S3Error('MissingContentLength');
    if (this.declaredLengthBytes !== undefined && this.declaredLengthBytes > options.sizeBytesMax) {
      throw new S3Error('EntityTooLarge', undefined, { ProposedSize: this.declaredLengthBytes, MaxSizeAllowed: options.sizeBytesMax });
    }
    this.expectedChecksum = this.parseChecksumExpectation();
    const md5 = header(ctx, 'content-md5');
    if (md5 !== undefined) {
      const digest = Buffer.from(md5, 'base64');
      if (digest.length !== 16 || digest.toString('base64') !== md5.trim()) throw new S3Error('InvalidDigest');
      this.contentMd5 = digest;
    }
  }

  private parseDeclaredLength(): number | undefined {
    const name = this.streaming ? 'x-amz-decoded-content-length' : 'content-length';
    const raw = header(this.ctx, name);
    if (raw === undefined) return this.streaming || this.ctx.req.headers['transfer-encoding'] !== undefined ? undefined : 0;
    if (!/^\d{1,15}$/.test(raw.trim())) throw new S3Error('InvalidArgument', `Invalid ${name}`, { ArgumentName: name, ArgumentValue: raw });
    return Number(raw);
  }

  private parseChecksumExpectation(): { algorithm: ChecksumAlgorithm; base64?: string; trailer?: string } | undefined {
    const found: { algorithm: ChecksumAlgorithm; base64: string; name: string }[] = [];
    for (const name of Object.keys(this.ctx.headers)) {
      if (!name.startsWith('x-amz-checksum-') || nonValueChecksumHeaders.has(name) || this.options.checksumHeadersDescribeObject) continue;
      const algorithm = algorithmFromHeaderName(name);
      if (!algorithm) throw new S3Error('InvalidRequest', `The header ${name} is not a supported checksum.`);
      found.push({ algorithm, base64: header(this.ctx, name)!, name });
    }
    const trailerNames = (header(this.ctx, 'x-amz-trailer') ?? '').split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
    const trailerChecksums = trailerNames.filter((t) => t.startsWith('x-amz-checksum-'));
    if (found.length + trailerChecksums.length > 1) throw new S3Error('InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
    const sdkAlgorithmText = header(this.ctx, 'x-amz-sdk-checksum-algorithm');
    const sdkAlgorithm = sdkAlgorithmText !== undefined ? parseAlgorithm(sdkAlgorithmText) : undefined;
    if (sdkAlgorithmText !== undefined && !sdkAlgorithm) throw new S3Error('InvalidRequest', 'Value for x-amz-sdk-checksum-algorithm header is invalid.');
    if (found.length === 1) {
      const { algorithm, base64, name } = found[0]!;
      if (sdkAlgorithm && sdkAlgorithm !== algorithm) throw new S3Error('InvalidRequest', 'Value for x-amz-sdk-checksum-algorithm header is invalid.');
      if (!isValidChecksumValue(algorithm, base64)) throw new S3Error('InvalidRequest', `Value for ${name} header is invalid.`);
      return { algorithm, base64 };
    }
    if (trailerChecksums.length === 1) {
      const algorithm = algorithmFromHeaderName(trailerChecksums[0]!);
      if (!algorithm) throw new S3Error('InvalidRequest', `The trailer ${trailerChecksums[0]} is not a supported checksum.`);
      if (!this.streaming) throw new S3Error('InvalidRequest', 'x-amz-trailer requires an aws-chunked body.');
      if (sdkAlgorithm && sdkAlgorithm !== algorithm) throw new S3Error('InvalidRequest', 'Value for x-amz-sdk-checksum-algorithm header is invalid.');
      return { algorithm, trailer: trailerChecksums[0]! };
    }
    const wanted = sdkAlgorithm ?? this.options.checksumAlgorithm;
    return wanted ? { algorithm: wanted } : undefined;
  }

  /** The checksum algorithm this payload will carry, known before reading. */
  get checksumAlgorithm(): ChecksumAlgorithm | undefined {
    return this.expectedChecksum?.algorithm;
  }

  get result(): PayloadResult {
    if (!this.finished) throw new Error('payload not fully read');
    return this.finished;
  }

  /**
   * The body's bytes, verified as they pass. MD5 and SHA-256 of a large body run on a worker thread
   * (protocol/off-thread-hash.ts), which may ask this loop to wait; CRCs are cheap and stay here.
   */
  async *chunks(): AsyncGenerator<Buffer> {
    const expectedBytes = this.declaredLengthBytes;
    const sha256 = this.contentSha256 && /^[0-9a-f]{64}$/.test(this.contentSha256) ? streamHash('sha256', expectedBytes) : undefined;
    const md5 = this.options.md5 || this.contentMd5 ? streamHash('md5', expectedBytes) : undefined;
    const checksum: Hasher | undefined = this.expectedChecksum ? createHasher(this.expectedChecksum.algorithm) : undefined;
    let decoder: AwsChunkedDecoder | undefined;
    let source: AsyncIterable<Buffer> = guardAborted(this.ctx.rawBody());
    if (this.streaming) {
      decoder = this.chunkedDecoder();
      source = decoder.decode(source);
    }
    let sizeBytes = 0;
    try {
      for await (const chunk of source) {
        sizeBytes += chunk.length;
        if (sizeBytes > this.options.sizeBytesMax) {
          throw new S3Error('EntityTooLarge', undefined, { MaxSizeAllowed: this.options.sizeBytesMax });
        }
        const shaWait = sha256?.update(chunk);
        const md5Wait = md5?.update(chunk);
        const pending = shaWait && md5Wait ? Promise.all([shaWait, md5Wait]) : (shaWait ?? md5Wait);
        // Awaited after the yield; a hash worker that fails meanwhile must not be an unhandled rejection.
        pending?.catch(() => undefined);
        checksum?.update(chunk);
        yield chunk;
        if (pending) await pending;
      }
      if (this.declaredLengthBytes !== undefined && sizeBytes !== this.declaredLengthBytes) throw new S3Error('IncompleteBody');
      const [sha256Hex, md5Digest] = await Promise.all([sha256?.digest().then((d) => d.toString('hex')), md5?.digest()]);
      this.finished = this.verify(sizeBytes, sha256Hex, md5Digest, checksum, decoder);
    } finally {
      sha256?.close();
      md5?.close();
    }
  }

  private chunkedDecoder(): AwsChunkedDecoder {
    const expectedTrailers = (header(this.ctx, 'x-amz-trailer') ?? '').split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
    const signed = this.contentSha256 === STREAMING_SIGNED || this.contentSha256 === STREAMING_SIGNED_TRAILER;
    if (this.contentSha256 !== STREAMING_UNSIGNED_TRAILER && !signed) throw new S3Error('InvalidArgument', 'Unsupported x-amz-content-sha256 value.');
    if (signed && !this.ctx.signature) throw new S3Error('AccessDenied', 'Signed streaming payloads need a signed request.');
    return new AwsChunkedDecoder({
      ...(this.declaredLengthBytes !== undefined ? { decodedLengthBytes: this.declaredLengthBytes } : {}),
      ...(signed ? { signed: new ChunkSignatureChain(this.ctx.signature!, this.ctx.auth!.amzDate) } : {}),
      expectedTrailers,
    });
  }

  private verify(sizeBytes: number, sha256Hex: string | undefined, md5Digest: Buffer | undefined, checksum: Hasher | undefined, decoder: AwsChunkedDecoder | undefined): PayloadResult {
    if (sha256Hex !== undefined && sha256Hex !== this.contentSha256) {
      throw new S3Error('XAmzContentSHA256Mismatch', undefined, { ClientComputedContentSHA256: this.contentSha256 });
    }
    if (this.contentMd5 && md5Digest && !this.contentMd5.equals(md5Digest)) {
      throw new S3Error('BadDigest', undefined, { ExpectedDigest: this.contentMd5.toString('hex'), CalculatedDigest: md5Digest.toString('base64') });
    }
    const result: PayloadResult = { sizeBytes, ...(md5Digest ? { md5: md5Digest } : {}) };
    if (checksum && this.expectedChecksum) {
      const digest = checksum.digest();
      const base64 = digest.toString('base64');
      const { algorithm } = this.expectedChecksum;
      const sent = this.expectedChecksum.trailer ? decoder?.trailers.get(this.expectedChecksum.trailer) : this.expectedChecksum.base64;
      if (this.expectedChecksum.trailer && (sent === undefined || !isValidChecksumValue(algorithm, sent))) {
        throw new S3Error('InvalidRequest', `Value for ${checksumHeaderName(algorithm)} trailing header is invalid.`);
      }
      if (sent !== undefined && sent !== base64) {
        throw new S3Error('BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`);
      }
      result.checksum = { algorithm, digest, base64, provided: sent !== undefined };
    }
    return result;
  }
}

/** A client that disconnects mid-body makes Node throw 'aborted'; that is an incomplete body. */
async function* guardAborted(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of source) yield chunk;
  } catch (error) {
    if (error instanceof S3Error) throw error;
    throw new S3Error('IncompleteBody');
  }
}

/** Reads a small body (XML, JSON, form) whole, with the same verification, up to a limit. */
export async function readSmallBody(ctx: RequestContext, sizeBytesMax: number = limits.xmlBodyBytesMax, options: Pick<PayloadOptions, 'checksumHeadersDescribeObject'> = {}): Promise<Buffer> {
  const payload = new Payload(ctx, { md5: false, sizeBytesMax: Number.MAX_SAFE_INTEGER, requireLength: false, ...options });
  if (payload.declaredLengthBytes !== undefined && payload.declaredLengthBytes > sizeBytesMax) throw new S3Error('MaxMessageLengthExceeded');
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of payload.chunks()) {
    total += chunk.length;
    if (total > sizeBytesMax) throw new S3Error('MaxMessageLengthExceeded');
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}
