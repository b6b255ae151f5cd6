// Checksums computed independently of the server's own code (zlib, node:crypto, the AWS SDK's CRC64NVME,
// a table-driven CRC32C), so tests compare the server's answers with values it did not produce itself.
import { createHash } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';

export type Algorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';
export const algorithms: readonly Algorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): the textbook byte-table form, built from the polynomial. */
const crc32cTable = Array.from({ length: 256 }, (_, byte) => {
  let crc = byte;
  for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  return crc >>> 0;
});

function crc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = crc32cTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

/** The big-endian digest S3 base64-encodes in x-amz-checksum-*. */
export async function digest(algorithm: Algorithm, data: Uint8Array): Promise<Buffer> {
  switch (algorithm) {
    case 'CRC32': return uint32(zlibCrc32(data));
    case 'CRC32C': return uint32(crc32c(data));
    case 'CRC64NVME': {
      const hash = new Crc64Nvme();
      hash.update(data);
      return Buffer.from(await hash.digest());
    }
    case 'SHA1': return createHash('sha1').update(data).digest();
    case 'SHA256': return createHash('sha256').update(data).digest();
  }
}

export async function checksumBase64(algorithm: Algorithm, data: Uint8Array): Promise<string> {
  return (await digest(algorithm, data)).toString('base64');
}

/** COMPOSITE multipart checksum: base64(checksum(concat(part digests)))-N. */
export async function compositeChecksum(algorithm: Algorithm, parts: Uint8Array[]): Promise<string> {
  const digests = await Promise.all(parts.map((p) => digest(algorithm, p)));
  return `${(await digest(algorithm, Buffer.concat(digests))).toString('base64')}-${parts.length}`;
}

export function md5Hex(data: Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

export function md5Base64(data: Uint8Array): string {
  return createHash('md5').update(data).digest('base64');
}

/** The ETag S3 gives a multipart object: md5(concat(binary part MD5s))-N, quoted. */
export function multipartEtag(parts: Uint8Array[]): string {
  const md5 = createHash('md5');
  for (const part of parts) md5.update(createHash('md5').update(part).digest());
  return `"${md5.digest('hex')}-${parts.length}"`;
}

/** The SDK's property name for an algorithm's checksum (ChecksumCRC32, …). */
export function sdkField(algorithm: Algorithm): `Checksum${Algorithm}` {
  return `Checksum${algorithm}`;
}
