// S3 flexible checksums: incremental hashers, header names, value validation, composite and combined multipart checksums.
//
// Digests are the big-endian bytes S3 base64-encodes in x-amz-checksum-* headers. CRC32 and
// CRC32C come from @node-rs/crc32 (native, SIMD/hardware; ~3x zlib.crc32), CRC64NVME from our
// crc64-nvme.ts, SHA-1/SHA-256/MD5 from node:crypto.

import assert from 'node:assert';
import { createHash } from 'node:crypto';
import { crc32, crc32c } from '@node-rs/crc32';
import type { ChecksumAlgorithm } from '../core/checksum-algorithm.js';
import { Crc64Nvme } from './crc64-nvme.js';

export type { ChecksumAlgorithm } from '../core/checksum-algorithm.js';
// combineCrc(algorithm, parts): FULL_OBJECT CRC of a multipart object from per-part CRCs and sizes.
export { combineCrc, type CrcAlgorithm, type CrcPart } from './crc-combine.js';

export const checksumAlgorithms: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

const digestLengths: Record<ChecksumAlgorithm, number> = {
  CRC32: 4,
  CRC32C: 4,
  CRC64NVME: 8,
  SHA1: 20,
  SHA256: 32,
};

const headerPrefix = 'x-amz-checksum-';

/** Incremental digest; `digest()` may be called once, after which the hasher is spent. */
export interface Hasher {
  update(chunk: Uint8Array): void;
  digest(): Buffer;
}

/** A 32-bit CRC kept as a number and continued across update() calls. */
class Crc32Hasher implements Hasher {
  #state = 0;
  #digested = false;
  readonly #step: (input: Uint8Array, initialState?: number) => number;

  constructor(step: (input: Uint8Array, initialState?: number) => number) {
    this.#step = step;
  }

  update(chunk: Uint8Array): void {
    assert(!this.#digested, 'update after digest');
    this.#state = this.#step(chunk, this.#state);
  }

  digest(): Buffer {
    assert(!this.#digested, 'digest called twice');
    this.#digested = true;
    const out = Buffer.allocUnsafe(4);
    out.writeUInt32BE(this.#state >>> 0, 0);
    return out;
  }
}

class CryptoHasher implements Hasher {
  readonly #hash;

  constructor(name: 'md5' | 'sha1' | 'sha256') {
    this.#hash = createHash(name);
  }

  update(chunk: Uint8Array): void {
    this.#hash.update(chunk);
  }

  digest(): Buffer {
    // node:crypto itself throws if digest() is called twice.
    return this.#hash.digest();
  }
}

export function createHasher(algorithm: ChecksumAlgorithm | 'MD5'): Hasher {
  switch (algorithm) {
    case 'CRC32':
      return new Crc32Hasher(crc32);
    case 'CRC32C':
      return new Crc32Hasher(crc32c);
    case 'CRC64NVME':
      return new Crc64Nvme();
    case 'SHA1':
      return new CryptoHasher('sha1');
    case 'SHA256':
      return new CryptoHasher('sha256');
    case 'MD5':
      return new CryptoHasher('md5');
  }
}

/** 'CRC32' → 'x-amz-checksum-crc32'. */
export function checksumHeaderName(algorithm: ChecksumAlgorithm): string {
  return headerPrefix + algorithm.toLowerCase();
}

/** 'x-amz-checksum-crc32' (any case) → 'CRC32'; other headers (x-amz-checksum-mode, -type, …) → undefined. */
export function algorithmFromHeaderName(name: string): ChecksumAlgorithm | undefined {
  const lower = name.toLowerCase();
  if (!lower.startsWith(headerPrefix)) return undefined;
  return parseAlgorithm(lower.slice(headerPrefix.length));
}

/** An algorithm name as sent in x-amz-checksum-algorithm / x-amz-sdk-checksum-algorithm / XML, any case. */
export function parseAlgorithm(value: string): ChecksumAlgorithm | undefined {
  const upper = value.toUpperCase();
  return (checksumAlgorithms as readonly string[]).includes(upper) ? (upper as ChecksumAlgorithm) : undefined;
}

export function digestLengthBytes(algorithm: ChecksumAlgorithm): number {
  return digestLengths[algorithm];
}

/**
 * True if `base64` is the canonical padded base64 of exactly the algorithm's digest length —
 * what S3 accepts in x-amz-checksum-* (composite `…-N` values are not single digests).
 */
export function isValidChecksumValue(algorithm: ChecksumAlgorithm, base64: string): boolean {
  const lengthBytes = digestLengths[algorithm];
  if (base64.length !== 4 * Math.ceil(lengthBytes / 3)) return false;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return false;
  // Re-encoding rejects non-zero padding bits and wrong padding counts.
  return Buffer.from(base64, 'base64').toString('base64') === base64;
}

/** Composite multipart checksum: base64(hash(part digest 1 ‖ … ‖ part digest N)) + '-' + N. */
export function compositeChecksum(algorithm: ChecksumAlgorithm, partDigests: readonly Uint8Array[]): string {
  const hasher = createHasher(algorithm);
  for (const digest of partDigests) {
    assert.equal(digest.length, digestLengths[algorithm], 'part digest has the wrong length');
    hasher.update(digest);
  }
  return `${hasher.digest().toString('base64')}-${partDigests.length}`;
}

