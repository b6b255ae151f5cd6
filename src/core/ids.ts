// Identifier generators: request ids, version ids, upload ids, access keys, account ids.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

const base32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const lowerAlnum = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomFrom(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

// Per-request ids use randomUUID, which draws from entropy Node buffers in batches: one system call per
// request (randomBytes) showed up at ~3% of a small GET's CPU.

/** 16 upper-case hex characters, as S3's x-amz-request-id. */
export function newRequestId(): string {
  return randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
}

/** x-amz-id-2: an opaque base64 host id. */
export function newHostId(): string {
  return Buffer.from(randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, '').slice(0, 16), 'hex').toString('base64');
}

/** 32 URL-safe characters, the shape of S3 version ids. */
export function newVersionId(): string {
  return randomFrom(alnum, 32);
}

/** 64 URL-safe characters that start with a letter: an id beginning with '-' reads as an option to the
 *  AWS CLI (`--upload-id -H…` fails with "expected one argument"). */
export function newUploadId(): string {
  return randomFrom(alnum.slice(0, 52), 1) + randomBytes(47).toString('base64url').slice(0, 63);
}

export function newBlobId(): string {
  return randomBytes(16).toString('hex');
}

/** Long-term keys start AKIA, temporary (STS) keys ASIA; 20 characters in all. */
export function newAccessKeyId(kind: 'AKIA' | 'ASIA'): string {
  return kind + randomFrom(base32, 16);
}

export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64').replace(/\+/g, 'x').replace(/\//g, 'y');
}

/** IAM unique ids: AIDA (users), AROA (roles), AGPA (groups), ANPA (policies), 21 characters. */
export function newUniqueId(prefix: 'AIDA' | 'AROA' | 'AGPA' | 'ANPA'): string {
  return prefix + randomFrom(base32, 17);
}

export function newAccountId(): string {
  return String(randomInt(1, 10)) + String(randomInt(0, 1e11)).padStart(11, '0');
}

/** Lower-case alphanumerics, for access point alias metadata. */
export function newLowerAlnum(length: number): string {
  return randomFrom(lowerAlnum, length);
}

export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
