// Test fixtures for the aws-chunked decoder: an encoder, a toy signature chain, re-chunked sources.
import { createHash } from 'node:crypto';
import { S3Error } from '../../src/core/errors.js';
import { AwsChunkedDecoder, type AwsChunkedOptions, type ChunkSignatureVerifier } from '../../src/protocol/aws-chunked.js';

export const emptySha256Hex = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * A stand-in for the SigV4 chain at the verifier interface boundary: signature = sha256(previous
 * ‖ kind ‖ hash), so tests can sign bodies without keys and every call is recorded.
 */
export class ToySignatureChain implements ChunkSignatureVerifier {
  readonly calls: { kind: 'chunk' | 'trailer'; input: string; signature: string }[] = [];
  #previous: string;

  constructor(seed = 'seed') {
    this.#previous = sha256Hex(seed);
  }

  /** The signature the next chunk with this hash must carry (advances the chain). */
  signChunk(chunkSha256Hex: string): string {
    this.#previous = sha256Hex(`${this.#previous}chunk${chunkSha256Hex}`);
    return this.#previous;
  }

  signTrailer(canonicalTrailer: string): string {
    this.#previous = sha256Hex(`${this.#previous}trailer${canonicalTrailer}`);
    return this.#previous;
  }

  verifyChunk(chunkSha256Hex: string, signature: string): void {
    this.calls.push({ kind: 'chunk', input: chunkSha256Hex, signature });
    if (this.signChunk(chunkSha256Hex) !== signature.toLowerCase()) throw new S3Error('SignatureDoesNotMatch');
  }

  verifyTrailer(canonicalTrailer: string, signature: string): void {
    this.calls.push({ kind: 'trailer', input: canonicalTrailer, signature });
    if (this.signTrailer(canonicalTrailer) !== signature.toLowerCase()) throw new S3Error('SignatureDoesNotMatch');
  }
}

export interface EncodeOptions {
  /** Sizes of successive chunks; the last repeats. */
  chunkBytes: number | number[];
  trailers?: [string, string][];
  /** Signs chunks and trailers with this chain (a fresh one with the verifier's seed). */
  signer?: ToySignatureChain;
  /** Line ending of trailer lines and of the final empty line. */
  trailerEol?: '\r\n' | '\n';
  /** Omit the final empty line (as the JS SDK does when it sends no trailer). */
  omitFinalEmptyLine?: boolean;
}

/** Encodes `payload` as an aws-chunked body. */
export function encodeAwsChunked(payload: Buffer, options: EncodeOptions): Buffer {
  const sizes = Array.isArray(options.chunkBytes) ? options.chunkBytes : [options.chunkBytes];
  const eol = options.trailerEol ?? '\r\n';
  const parts: Buffer[] = [];
  const header = (size: number, data: Buffer): string => {
    const signature = options.signer ? `;chunk-signature=${options.signer.signChunk(sha256Hex(data))}` : '';
    return `${size.toString(16)}${signature}\r\n`;
  };
  let position = 0;
  for (let index = 0; position < payload.length; index++) {
    const size = Math.max(1, sizes[Math.min(index, sizes.length - 1)]!);
    const data = payload.subarray(position, position + size);
    parts.push(Buffer.from(header(data.length, data)), data, Buffer.from('\r\n'));
    position += data.length;
  }
  parts.push(Buffer.from(header(0, Buffer.alloc(0))));
  const trailers = options.trailers ?? [];
  let canonical = '';
  for (const [name, value] of trailers) {
    parts.push(Buffer.from(`${name}:${value}${eol}`));
    canonical += `${name.toLowerCase()}:${value}\n`;
  }
  if (options.signer && trailers.length > 0) {
    parts.push(Buffer.from(`x-amz-trailer-signature:${options.signer.signTrailer(canonical)}${eol}`));
  }
  if (!options.omitFinalEmptyLine) parts.push(Buffer.from(eol));
  return Buffer.concat(parts);
}

/** Splits `body` into consecutive pieces whose sizes come from `nextSize`. */
export function split(body: Buffer, nextSize: () => number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let position = 0; position < body.length;) {
    const size = Math.max(1, nextSize());
    pieces.push(body.subarray(position, position + size));
    position += size;
  }
  return pieces;
}

/** The pieces as an async source, as a request body is. */
export async function* asyncPieces(pieces: readonly Buffer[]): AsyncGenerator<Buffer> {
  for (const piece of pieces) yield piece;
}

export interface DecodeOutcome {
  payload: Buffer;
  outputs: Buffer[];
  trailers: Map<string, string>;
}

/** Decodes `pieces` in full; rejects with whatever the decoder threw. */
export async function decodeAll(pieces: readonly Buffer[], options: AwsChunkedOptions): Promise<DecodeOutcome> {
  const decoder = new AwsChunkedDecoder(options);
  const outputs: Buffer[] = [];
  for await (const output of decoder.decode(asyncPieces(pieces))) outputs.push(output);
  return { payload: Buffer.concat(outputs), outputs, trailers: decoder.trailers };
}

/** Decodes and returns the S3Error code it failed with (assertion helpers check it). */
export async function decodeError(pieces: readonly Buffer[], options: AwsChunkedOptions): Promise<unknown> {
  try {
    await decodeAll(pieces, options);
  } catch (error) {
    return error;
  }
  return undefined;
}
