// The stored format of SSE-S3 blobs: a header holding the wrapped data key, then AES-256-GCM segments.
//
// Layout (integers big-endian):
//   header, 72 bytes
//      0   4  magic "S3PE"
//      4   1  format version (1)
//      5   1  cipher (1 = AES-256-GCM)
//      6   2  reserved, zero
//      8   4  S, plaintext bytes per segment (limits.encryptionSegmentBytes when written)
//     12  12  nonce of the key wrap (random)
//     24  32  the blob's data key (random), AES-256-GCM-encrypted with the master key
//     56  16  tag of the key wrap. Its AAD is header bytes 0..12 followed by the blob id, so the
//             segment size cannot be altered and a blob file cannot be passed off as another blob.
//   segment i, for i = 0 … n−1: AES-256-GCM under the data key of plaintext [i·S, min((i+1)·S, size)),
//     nonce = 0x00000000 ‖ u64(i), AAD = u64(i) ‖ u8(i = n−1 ? 1 : 0), stored as ciphertext ‖ 16-byte tag.
//     A segment therefore authenticates its own position and whether it is the last one: moving,
//     dropping, repeating or truncating segments fails a tag. Every segment but the last holds S
//     plaintext bytes; the last holds 1..S, or 0 for an empty blob (whose only segment is a tag).
//     The data key is used for this one blob only, so nonces derived from i never repeat under a key.
//
// The plaintext size is not recorded (the writer is append-only and learns the size only at the
// end); it follows from the stored length L:  body = L − 72,  n = ceil(body / (S + 16)),
// size = body − 16·n. Readers never need L up front: a segment is the last one exactly when the
// stored bytes end right after it, which a reader sees by asking for one byte more.
import assert from 'node:assert';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const headerBytes = 72;
export const tagBytes = 16;
export const dataKeyBytes = 32;
const magic = Buffer.from('S3PE', 'latin1');
const formatVersion = 1;
const cipherAes256Gcm = 1;
const authenticatedPrefixBytes = 12;
const algorithm = 'aes-256-gcm';

/** A read or a check found bytes that fail authentication or the format: never serve them. */
export class BlobIntegrityError extends Error {
  readonly code = 'ERR_BLOB_INTEGRITY';
  constructor(
    readonly blobId: string,
    detail: string,
  ) {
    super(`blob ${blobId} failed its integrity check: ${detail}`);
    this.name = 'BlobIntegrityError';
  }
}

export interface BlobKey {
  dataKey: Buffer;
  segmentBytes: number;
  /** The stored header, to notice a changed header when a read passes over it again. */
  header: Buffer;
}

export function newBlobKey(masterKey: Buffer, blobId: string, segmentBytes: number): BlobKey {
  assert(Number.isSafeInteger(segmentBytes) && segmentBytes > 0 && segmentBytes <= 0xffffffff);
  const dataKey = randomBytes(dataKeyBytes);
  const header = Buffer.alloc(headerBytes);
  magic.copy(header, 0);
  header.writeUInt8(formatVersion, 4);
  header.writeUInt8(cipherAes256Gcm, 5);
  header.writeUInt32BE(segmentBytes, 8);
  const nonce = randomBytes(12);
  nonce.copy(header, 12);
  const cipher = createCipheriv(algorithm, masterKey, nonce);
  cipher.setAAD(wrapAad(header, blobId));
  cipher.update(dataKey).copy(header, 24);
  cipher.final();
  cipher.getAuthTag().copy(header, 56);
  return { dataKey, segmentBytes, header };
}

export function openBlobKey(masterKey: Buffer, blobId: string, header: Buffer): BlobKey {
  if (header.length < headerBytes) throw new BlobIntegrityError(blobId, `header truncated to ${header.length} bytes`);
  if (!header.subarray(0, 4).equals(magic)) throw new BlobIntegrityError(blobId, 'not an encrypted blob (bad magic)');
  const version = header.readUInt8(4);
  if (version !== formatVersion || header.readUInt8(5) !== cipherAes256Gcm) {
    throw new BlobIntegrityError(blobId, `unknown format version ${version} or cipher ${header.readUInt8(5)}`);
  }
  const segmentBytes = header.readUInt32BE(8);
  const decipher = createDecipheriv(algorithm, masterKey, header.subarray(12, 24));
  decipher.setAAD(wrapAad(header, blobId));
  decipher.setAuthTag(header.subarray(56, 72));
  const dataKey = decipher.update(header.subarray(24, 56));
  try {
    decipher.final();
  } catch {
    throw new BlobIntegrityError(blobId, 'data key does not authenticate (wrong master key, or a changed header)');
  }
  if (segmentBytes === 0) throw new BlobIntegrityError(blobId, 'segment size 0');
  return { dataKey, segmentBytes, header: Buffer.from(header.subarray(0, headerBytes)) };
}

/**
 * Encrypts segment `index` from the plaintext pieces `parts`, appending the ciphertext pieces and
 * the tag to `out` (Node's cipher allocates its output; passing it on avoids a copy). Returns the
 * bytes appended.
 */
export function sealSegment(dataKey: Buffer, index: number, final: boolean, parts: readonly Buffer[], out: Buffer[]): number {
  const cipher = createCipheriv(algorithm, dataKey, segmentNonce(index));
  cipher.setAAD(segmentAad(index, final));
  let bytes = tagBytes;
  for (const part of parts) {
    const ciphertext = cipher.update(part);
    bytes += ciphertext.length;
    out.push(ciphertext);
  }
  cipher.final();
  out.push(cipher.getAuthTag());
  return bytes;
}

/** Decrypts one stored segment; throws BlobIntegrityError unless it authenticates (nothing leaks). */
export function openSegment(blobId: string, dataKey: Buffer, index: number, final: boolean, stored: Buffer): Buffer {
  if (stored.length < tagBytes) throw new BlobIntegrityError(blobId, `segment ${index} truncated to ${stored.length} bytes`);
  const ciphertextBytes = stored.length - tagBytes;
  const decipher = createDecipheriv(algorithm, dataKey, segmentNonce(index));
  decipher.setAAD(segmentAad(index, final));
  decipher.setAuthTag(stored.subarray(ciphertextBytes));
  const plaintext = decipher.update(stored.subarray(0, ciphertextBytes));
  try {
    decipher.final();
  } catch {
    const where = final ? 'as the last segment' : 'followed by more data';
    throw new BlobIntegrityError(blobId, `segment ${index} (${where}) does not authenticate`);
  }
  return plaintext;
}

/** Stored bytes of a blob holding `plaintextBytes`. */
export function storedSizeOf(plaintextBytes: number, segmentBytes: number): number {
  const segments = Math.max(1, Math.ceil(plaintextBytes / segmentBytes));
  return headerBytes + plaintextBytes + segments * tagBytes;
}

/** Plaintext bytes of a well-formed stored blob of `storedBytes` (see the layout above). */
export function plaintextSizeOf(storedBytes: number, segmentBytes: number): number {
  const body = storedBytes - headerBytes;
  assert(body >= tagBytes, `stored size ${storedBytes} is too small for an encrypted blob`);
  const segments = Math.ceil(body / (segmentBytes + tagBytes));
  const last = body - (segments - 1) * (segmentBytes + tagBytes);
  assert(last >= tagBytes, `stored size ${storedBytes} ends inside a tag`);
  return body - segments * tagBytes;
}

/** Stored offset of segment `index`. */
export function segmentOffset(index: number, segmentBytes: number): number {
  return headerBytes + index * (segmentBytes + tagBytes);
}

function segmentNonce(index: number): Buffer {
  const nonce = Buffer.alloc(12);
  writeUInt64(nonce, index, 4);
  return nonce;
}

function segmentAad(index: number, final: boolean): Buffer {
  const aad = Buffer.alloc(9);
  writeUInt64(aad, index, 0);
  aad[8] = final ? 1 : 0;
  return aad;
}

function writeUInt64(into: Buffer, value: number, offset: number): void {
  assert(Number.isSafeInteger(value) && value >= 0);
  into.writeUInt32BE(Math.floor(value / 0x1_0000_0000), offset);
  into.writeUInt32BE(value >>> 0, offset + 4);
}

function wrapAad(header: Buffer, blobId: string): Buffer {
  return Buffer.concat([header.subarray(0, authenticatedPrefixBytes), Buffer.from(blobId, 'utf8')]);
}
