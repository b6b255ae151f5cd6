// Streaming decoder for `Content-Encoding: aws-chunked` bodies: unsigned or SigV4-signed chunks, optional trailers.
//
// Grammar (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html, …-trailers.html):
//   chunk   = hex-size [";chunk-signature=" 64hex] CRLF bytes CRLF      (repeated)
//   final   = "0" [";chunk-signature=" 64hex] CRLF
//   trailer = *(name ":" value EOL) [ "x-amz-trailer-signature:" 64hex EOL ] EOL
// Chunk lines must end in CRLF (every client sends it); trailer lines may end in LF alone
// (clients differ), and the final empty line may be missing at end of stream.
//
// Payload bytes are yielded as slices of the input buffers as they arrive, so memory stays
// bounded whatever size a chunk announces. Consequence: a signed chunk's bytes are yielded
// before its signature is checked at the chunk's end, so consumers must treat the output as
// provisional until decode() completes without throwing.

import assert from 'node:assert';
import { createHash, type Hash } from 'node:crypto';
import { S3Error } from '../core/errors.js';
import { limits } from '../core/limits.js';

/** Checks chunk and trailer signatures (implemented by the SigV4 code, which chains them). */
export interface ChunkSignatureVerifier {
  /** Throws S3Error SignatureDoesNotMatch. Called for every chunk, including the final empty one. */
  verifyChunk(chunkSha256Hex: string, signature: string): void;
  /** canonicalTrailer is the trailer lines as `name:value\n`, in the order received. */
  verifyTrailer(canonicalTrailer: string, signature: string): void;
}

export interface AwsChunkedOptions {
  /** x-amz-decoded-content-length, when the client sent it. */
  decodedLengthBytes?: number | undefined;
  /** Present for STREAMING-AWS4-HMAC-SHA256-PAYLOAD and …-PAYLOAD-TRAILER. */
  signed?: ChunkSignatureVerifier | undefined;
  /** Names from x-amz-trailer (compared lower-cased); may be empty. */
  expectedTrailers: readonly string[];
}

type Phase = 'chunkHeader' | 'chunkData' | 'chunkDataEnd' | 'trailer' | 'done';

const emptySha256Hex = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const signaturePrefix = 'chunk-signature=';
const trailerSignatureName = 'x-amz-trailer-signature';
const hexSizeDigitsMax = 16;
const signaturePattern = /^[0-9a-fA-F]{64}$/; // the verifier compares case-insensitively
const headerNamePattern = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const cr = 0x0d;
const lf = 0x0a;

function invalid(message: string): S3Error {
  return new S3Error('InvalidRequest', message);
}

function incomplete(message: string): S3Error {
  return new S3Error('IncompleteBody', message);
}

function hexDigitValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x61 + 10;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x41 + 10;
  return -1;
}

export class AwsChunkedDecoder {
  /** Trailer headers (lower-cased name → value), complete once decode() has finished. */
  readonly trailers = new Map<string, string>();

  readonly #decodedLengthBytes: number | undefined;
  readonly #verifier: ChunkSignatureVerifier | undefined;
  readonly #expectedTrailers: ReadonlySet<string>;

  #started = false;
  #phase: Phase = 'chunkHeader';
  /** Bytes of a header or trailer line that began in an earlier input buffer. */
  #pendingLine: Buffer | undefined;
  #pendingLineBytes = 0;
  #chunkBytesRemaining = 0;
  #chunkSignature = '';
  #chunkHash: Hash | undefined;
  /** CR/LF bytes seen after the current chunk's data. */
  #dataEndBytesSeen = 0;
  /** Sum of announced chunk sizes so far; never exceeds decodedLengthBytes. */
  #announcedBytes = 0;
  #trailerBytes = 0;
  #canonicalTrailer = '';
  #trailerSignature: string | undefined;

  constructor(options: AwsChunkedOptions) {
    const length = options.decodedLengthBytes;
    assert(length === undefined || (Number.isSafeInteger(length) && length >= 0), 'decodedLengthBytes must be a byte count');
    this.#decodedLengthBytes = length;
    this.#verifier = options.signed;
    this.#expectedTrailers = new Set(options.expectedTrailers.map((name) => name.toLowerCase()));
  }

  /**
   * Yields the decoded payload as slices of the input buffers (which must not be reused by the
   * source). Throws S3Error on malformed framing, bad signatures or a length mismatch.
   */
  async *decode(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer, void, undefined> {
    assert(!this.#started, 'AwsChunkedDecoder.decode called twice');
    this.#started = true;
    for await (const input of source) {
      const buffer = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.length);
      let position = 0;
      while (position < buffer.length) {
        if (this.#phase !== 'chunkData') {
          const next = this.#consumeFraming(buffer, position);
          assert(next > position, 'aws-chunked decoder made no progress');
          position = next;
          continue;
        }
        const take = Math.min(this.#chunkBytesRemaining, buffer.length - position);
        const payload = buffer.subarray(position, position + take);
        position += take;
        this.#chunkBytesRemaining -= take;
        this.#chunkHash?.update(payload);
        if (this.#chunkBytesRemaining === 0) this.#endChunkData();
        yield payload;
      }
    }
    this.#finish();
  }

  /** Consumes framing bytes from `position` on; returns the position after them. */
  #consumeFraming(buffer: Buffer, position: number): number {
    switch (this.#phase) {
      case 'chunkDataEnd': {
        const expected = this.#dataEndBytesSeen === 0 ? cr : lf;
        if (buffer[position] !== expected) throw invalid('Chunk data is longer than its announced size or not followed by CRLF.');
        this.#dataEndBytesSeen++;
        if (this.#dataEndBytesSeen === 2) this.#phase = 'chunkHeader';
        return position + 1;
      }
      case 'chunkHeader': {
        const { line, next } = this.#takeLine(buffer, position, limits.awsChunkHeaderBytesMax);
        if (line) this.#startChunk(line);
        return next;
      }
      case 'trailer': {
        const allowance = limits.awsChunkTrailerBytesMax - this.#trailerBytes;
        const { line, next } = this.#takeLine(buffer, position, allowance);
        if (line) {
          this.#trailerBytes += line.length + 1;
          this.#trailerLine(line);
        }
        return next;
      }
      case 'done':
        throw invalid('Unexpected data after the end of the aws-chunked body.');
      case 'chunkData':
        assert.fail('chunk data is not framing');
    }
  }

  /**
   * Finds the LF ending the current line within `lengthMax` bytes (LF included). Returns the line
   * without its LF — a slice of `buffer` when it lies wholly inside it — or no line, having kept
   * the partial bytes, when the buffer ends first.
   */
  #takeLine(buffer: Buffer, position: number, lengthMax: number): { line: Buffer | undefined; next: number } {
    const allowance = lengthMax - this.#pendingLineBytes;
    const searchEnd = Math.min(buffer.length, position + allowance);
    const found = buffer.subarray(position, searchEnd).indexOf(lf);
    if (found === -1) {
      if (searchEnd - position >= allowance) throw invalid('aws-chunked header or trailer line is too long.');
      this.#keepPartialLine(buffer, position, searchEnd);
      return { line: undefined, next: searchEnd };
    }
    const lineEnd = position + found;
    if (this.#pendingLineBytes === 0) return { line: buffer.subarray(position, lineEnd), next: lineEnd + 1 };
    this.#keepPartialLine(buffer, position, lineEnd);
    const line = this.#pendingLine!.subarray(0, this.#pendingLineBytes);
    this.#pendingLineBytes = 0;
    return { line, next: lineEnd + 1 };
  }

  #keepPartialLine(buffer: Buffer, start: number, end: number): void {
    this.#pendingLine ??= Buffer.allocUnsafe(Math.max(limits.awsChunkHeaderBytesMax, limits.awsChunkTrailerBytesMax));
    this.#pendingLineBytes += buffer.copy(this.#pendingLine, this.#pendingLineBytes, start, end);
  }

  /** Parses `hex-size[;chunk-signature=sig]\r` and enters the chunk. */
  #startChunk(line: Buffer): void {
    if (line.length === 0 || line[line.length - 1] !== cr) throw invalid('aws-chunked chunk header must end in CRLF.');
    const contentEnd = line.length - 1;
    let sizeBytes = 0;
    let i = 0;
    for (; i < contentEnd; i++) {
      const digit = hexDigitValue(line[i]!);
      if (digit < 0) break;
      sizeBytes = sizeBytes * 16 + digit;
      if (i >= hexSizeDigitsMax || sizeBytes > limits.awsChunkSizeBytesMax) throw invalid('aws-chunked chunk size is too large.');
    }
    if (i === 0) throw invalid('aws-chunked chunk header has no hexadecimal size.');
    const signature = this.#chunkHeaderSignature(line, i, contentEnd);

    if (this.#decodedLengthBytes !== undefined && this.#announcedBytes + sizeBytes > this.#decodedLengthBytes) {
      throw incomplete('The aws-chunked body is longer than x-amz-decoded-content-length.');
    }
    this.#announcedBytes += sizeBytes;
    this.#chunkSignature = signature;
    if (sizeBytes === 0) {
      this.#verifier?.verifyChunk(emptySha256Hex, signature);
      this.#phase = 'trailer';
      return;
    }
    this.#chunkBytesRemaining = sizeBytes;
    this.#chunkHash = this.#verifier ? createHash('sha256') : undefined;
    this.#phase = 'chunkData';
  }

  /** The chunk-signature extension after the size: required when signed, refused when not. */
  #chunkHeaderSignature(line: Buffer, start: number, end: number): string {
    if (start === end) {
      if (this.#verifier) throw new S3Error('SignatureDoesNotMatch', 'The aws-chunked chunk has no chunk-signature.');
      return '';
    }
    const extension = line.toString('latin1', start, end);
    if (!extension.startsWith(';' + signaturePrefix)) throw invalid('aws-chunked chunk header is malformed.');
    if (!this.#verifier) throw invalid('Chunk signatures are not allowed with STREAMING-UNSIGNED-PAYLOAD-TRAILER.');
    const signature = extension.slice(1 + signaturePrefix.length);
    if (!signaturePattern.test(signature)) throw new S3Error('SignatureDoesNotMatch', 'The chunk-signature is malformed.');
    return signature;
  }

  #endChunkData(): void {
    if (this.#chunkHash) {
      this.#verifier!.verifyChunk(this.#chunkHash.digest('hex'), this.#chunkSignature);
      this.#chunkHash = undefined;
    }
    this.#dataEndBytesSeen = 0;
    this.#phase = 'chunkDataEnd';
  }

  /** One trailer line without its LF (a trailing CR is dropped); the empty line ends the body. */
  #trailerLine(raw: Buffer): void {
    const line = raw.length > 0 && raw[raw.length - 1] === cr ? raw.subarray(0, raw.length - 1) : raw;
    if (line.length === 0) {
      this.#endTrailers();
      this.#phase = 'done';
      return;
    }
    const text = line.toString('latin1');
    const colon = text.indexOf(':');
    const name = text.slice(0, Math.max(colon, 0)).toLowerCase();
    if (colon <= 0 || !headerNamePattern.test(name)) throw invalid('aws-chunked trailer line is malformed.');
    const value = text.slice(colon + 1).trim();
    if (name === trailerSignatureName) {
      if (!this.#verifier || this.#trailerSignature !== undefined) throw invalid(`Unexpected trailer ${name}.`);
      if (!signaturePattern.test(value)) throw new S3Error('SignatureDoesNotMatch', 'The trailer signature is malformed.');
      this.#trailerSignature = value;
      return;
    }
    if (!this.#expectedTrailers.has(name)) throw invalid(`The trailer ${name} was not announced in x-amz-trailer.`);
    if (this.trailers.has(name)) throw invalid(`The trailer ${name} was sent twice.`);
    this.trailers.set(name, value);
    this.#canonicalTrailer += `${name}:${value}\n`;
  }

  #endTrailers(): void {
    for (const name of this.#expectedTrailers) {
      if (!this.trailers.has(name)) throw invalid(`The trailer ${name} announced in x-amz-trailer is missing.`);
    }
    if (!this.#verifier) return;
    if (this.#trailerSignature !== undefined) {
      this.#verifier.verifyTrailer(this.#canonicalTrailer, this.#trailerSignature);
    } else if (this.#expectedTrailers.size > 0) {
      throw new S3Error('SignatureDoesNotMatch', 'The aws-chunked trailer has no x-amz-trailer-signature.');
    }
  }

  /** End of input: only a completed body, or one missing just its final empty line, is whole. */
  #finish(): void {
    switch (this.#phase) {
      case 'done':
        break;
      case 'trailer':
        if (this.#pendingLineBytes > 0) throw incomplete('The aws-chunked body ended inside a trailer line.');
        // Ending at a line boundary is accepted (clients omit the final empty line), unless
        // announced trailers never came: then the body was most likely cut short.
        for (const name of this.#expectedTrailers) {
          if (!this.trailers.has(name)) throw incomplete(`The aws-chunked body ended before the trailer ${name}.`);
        }
        this.#endTrailers();
        this.#phase = 'done';
        break;
      default:
        throw incomplete('The aws-chunked body ended before its final chunk.');
    }
    if (this.#decodedLengthBytes !== undefined && this.#announcedBytes !== this.#decodedLengthBytes) {
      throw incomplete('The aws-chunked body is shorter than x-amz-decoded-content-length.');
    }
  }
}
