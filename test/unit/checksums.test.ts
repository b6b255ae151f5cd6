// Unit tests for S3 checksums: known vectors, CRC-64/NVME against references, composite and combined CRCs.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Crc64Nvme as AwsCrc64Nvme } from '@aws-sdk/crc64-nvme';
import {
  algorithmFromHeaderName, checksumHeaderName, combineCrc, compositeChecksum, createHasher, digestLengthBytes,
  isValidChecksumValue, parseAlgorithm, type ChecksumAlgorithm,
} from '../../src/protocol/checksums.js';
import { Crc64Nvme, crc64Nvme } from '../../src/protocol/crc64-nvme.js';

/** Deterministic bytes: (i·31 + 7) mod 256, the same pattern the Python vectors below used. */
function pattern(lengthBytes: number): Buffer {
  const out = Buffer.allocUnsafe(lengthBytes);
  for (let i = 0; i < lengthBytes; i++) out[i] = (i * 31 + 7) & 255;
  return out;
}

function hashHex(algorithm: ChecksumAlgorithm | 'MD5', data: Uint8Array): string {
  const hasher = createHasher(algorithm);
  hasher.update(data);
  return hasher.digest().toString('hex');
}

/** Bit-at-a-time reflected CRC-32 family, written from the definition (independent of any table code). */
function referenceCrc32(polynomial: number, data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ polynomial : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Bit-at-a-time CRC-64/NVME with BigInt, from the definition. */
function referenceCrc64Nvme(data: Uint8Array): bigint {
  const mask = (1n << 64n) - 1n;
  let crc = mask;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ 0x9a6c9329ac4bc9b5n : crc >> 1n;
  }
  return crc ^ mask;
}

async function awsCrc64Hex(data: Uint8Array): Promise<string> {
  const aws = new AwsCrc64Nvme();
  aws.update(data);
  return Buffer.from(await aws.digest()).toString('hex');
}

const fox = Buffer.from('The quick brown fox jumps over the lazy dog');

describe('createHasher: known vectors (expected values from python3 zlib/hashlib)', () => {
  const vectors: [string, Buffer, Record<'CRC32' | 'SHA1' | 'SHA256' | 'MD5', string>][] = [
    ['empty', Buffer.alloc(0), {
      CRC32: '00000000', SHA1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      SHA256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', MD5: 'd41d8cd98f00b204e9800998ecf8427e',
    }],
    ['abc', Buffer.from('abc'), {
      CRC32: '352441c2', SHA1: 'a9993e364706816aba3e25717850c26c9cd0d89d',
      SHA256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', MD5: '900150983cd24fb0d6963f7d28e17f72',
    }],
    ['123456789', Buffer.from('123456789'), {
      CRC32: 'cbf43926', SHA1: 'f7c3bc1d808e04732adf679965ccc34ca7ae3441',
      SHA256: '15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225', MD5: '25f9e794323b453885f5181f1b624d0b',
    }],
    ['fox', fox, {
      CRC32: '414fa339', SHA1: '2fd4e1c67a2d28fced849ee1bb76e7391b93eb12',
      SHA256: 'd7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592', MD5: '9e107d9d372bb6826bd81d3542a419d6',
    }],
    ['pattern 1 MiB + 3', pattern(1024 * 1024 + 3), {
      CRC32: 'c263312b', SHA1: '70f57746247fb5e341b98ab03a522531bf9a1c83',
      SHA256: 'c72987322d4023063f8cff2d2a4460779b49cf1143a13b374bc734725aa95f0f', MD5: 'c045f82ba500be30249b19b3c67b9b52',
    }],
  ];
  for (const [name, data, expected] of vectors) {
    test(name, () => {
      for (const algorithm of ['CRC32', 'SHA1', 'SHA256', 'MD5'] as const) {
        assert.equal(hashHex(algorithm, data), expected[algorithm], algorithm);
      }
    });
  }

  test('CRC32C and CRC64NVME check values and the S3 empty-body values', () => {
    assert.equal(hashHex('CRC32C', Buffer.from('123456789')), 'e3069283');
    assert.equal(hashHex('CRC32C', fox), '22620404');
    assert.equal(hashHex('CRC64NVME', Buffer.from('123456789')), 'ae8b14860a799888');
    assert.equal(createHasher('CRC32').digest().toString('base64'), 'AAAAAA==');
    assert.equal(createHasher('CRC64NVME').digest().toString('base64'), 'AAAAAAAAAAA=');
  });

  test('digests are big-endian: CRC32("abc") = 0x352441c2', () => {
    const hasher = createHasher('CRC32');
    hasher.update(Buffer.from('abc'));
    assert.deepEqual([...hasher.digest()], [0x35, 0x24, 0x41, 0xc2]);
  });

  test('incremental updates at every split point equal one-shot digests', () => {
    const data = randomBytes(300);
    for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256', 'MD5'] as const) {
      const whole = hashHex(algorithm, data);
      for (let split = 0; split <= data.length; split += 7) {
        const hasher = createHasher(algorithm);
        hasher.update(data.subarray(0, split));
        hasher.update(data.subarray(split));
        assert.equal(hasher.digest().toString('hex'), whole, `${algorithm} split at ${split}`);
      }
    }
  });

  test('CRC32 and CRC32C agree with bitwise references on random data', () => {
    for (const lengthBytes of [1, 2, 3, 15, 16, 17, 63, 64, 65, 1000, 4099]) {
      const data = randomBytes(lengthBytes);
      assert.equal(hashHex('CRC32', data), referenceCrc32(0xedb88320, data).toString(16).padStart(8, '0'));
      assert.equal(hashHex('CRC32C', data), referenceCrc32(0x82f63b78, data).toString(16).padStart(8, '0'));
    }
  });

  test('a hasher digests once', () => {
    for (const algorithm of ['CRC32', 'CRC64NVME', 'SHA256'] as const) {
      const hasher = createHasher(algorithm);
      hasher.digest();
      assert.throws(() => hasher.digest());
    }
  });
});

describe('Crc64Nvme', () => {
  test('matches the bitwise reference at every length 0..200 and every alignment', () => {
    const backing = randomBytes(256);
    for (let offset = 0; offset < 8; offset++) {
      for (let lengthBytes = 0; lengthBytes <= 200; lengthBytes += offset === 0 ? 1 : 13) {
        const data = backing.subarray(offset, offset + lengthBytes);
        const expected = referenceCrc64Nvme(data).toString(16).padStart(16, '0');
        assert.equal(crc64Nvme(data).toString('hex'), expected, `offset ${offset} length ${lengthBytes}`);
      }
    }
  });

  test('matches @aws-sdk/crc64-nvme on large, unaligned, piecewise input', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 5);
    const expected = await awsCrc64Hex(data);
    assert.equal(crc64Nvme(data).toString('hex'), expected);
    const crc = new Crc64Nvme();
    let position = 0;
    for (const piece of [1, 3, 64, 65, 100_000, 7, 1_048_576]) {
      crc.update(data.subarray(position, position + piece));
      position += piece;
    }
    crc.update(data.subarray(position));
    assert.equal(crc.digest().toString('hex'), expected);
  });

  test('accepts a plain Uint8Array view', () => {
    const data = new Uint8Array(randomBytes(1001).buffer, 3, 997);
    assert.equal(crc64Nvme(data).toString('hex'), referenceCrc64Nvme(data).toString(16).padStart(16, '0'));
  });
});

describe('header names, algorithm names, values', () => {
  test('checksumHeaderName and algorithmFromHeaderName round-trip', () => {
    assert.equal(checksumHeaderName('CRC32'), 'x-amz-checksum-crc32');
    assert.equal(checksumHeaderName('CRC64NVME'), 'x-amz-checksum-crc64nvme');
    for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const) {
      assert.equal(algorithmFromHeaderName(checksumHeaderName(algorithm)), algorithm);
    }
    assert.equal(algorithmFromHeaderName('X-Amz-Checksum-SHA256'), 'SHA256');
    for (const other of ['x-amz-checksum-mode', 'x-amz-checksum-type', 'x-amz-checksum-algorithm', 'x-amz-checksum-md5', 'content-md5', 'x-amz-checksum-']) {
      assert.equal(algorithmFromHeaderName(other), undefined, other);
    }
  });

  test('parseAlgorithm is case-insensitive and strict', () => {
    assert.equal(parseAlgorithm('crc32'), 'CRC32');
    assert.equal(parseAlgorithm('Crc32C'), 'CRC32C');
    assert.equal(parseAlgorithm('crc64nvme'), 'CRC64NVME');
    assert.equal(parseAlgorithm('sha256'), 'SHA256');
    for (const bad of ['', 'md5', 'crc-32', ' crc32', 'sha-256', 'CRC64']) assert.equal(parseAlgorithm(bad), undefined, bad);
  });

  test('digestLengthBytes', () => {
    assert.deepEqual(['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'].map((a) => digestLengthBytes(a as ChecksumAlgorithm)), [4, 4, 8, 20, 32]);
  });

  test('isValidChecksumValue accepts canonical base64 of the right length only', () => {
    assert.equal(isValidChecksumValue('CRC32', 'NSRBwg=='), true);
    assert.equal(isValidChecksumValue('CRC32C', 'AAAAAA=='), true);
    assert.equal(isValidChecksumValue('CRC64NVME', 'rosUhgp5mIg='), true);
    assert.equal(isValidChecksumValue('SHA1', '2jmj7l5rSw0yVb/vlWAYkK/YBwk='), true);
    assert.equal(isValidChecksumValue('SHA256', '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='), true);
    const invalid: [ChecksumAlgorithm, string][] = [
      ['CRC32', 'NSRBwg='], // missing padding
      ['CRC32', 'NSRBwg'], // unpadded
      ['CRC32', 'NSRBwh=='], // non-zero padding bits
      ['CRC32', 'NSRB wg='], // space
      ['CRC32', 'NSRBwg==-2'], // composite
      ['CRC32', 'rosUhgp5mIg='], // 8 bytes
      ['CRC64NVME', 'NSRBwg=='], // 4 bytes
      ['SHA256', '2jmj7l5rSw0yVb/vlWAYkK/YBwk='], // SHA-1 length
      ['CRC32', 'NSRB-g=='], // base64url alphabet
      ['CRC32', ''],
    ];
    for (const [algorithm, value] of invalid) assert.equal(isValidChecksumValue(algorithm, value), false, `${algorithm} ${value}`);
    assert.equal(Buffer.from('rosUhgp5mIg=', 'base64').toString('hex'), 'ae8b14860a799888');
  });
});

describe('compositeChecksum (expected values from python3)', () => {
  const data = pattern(1008);
  const parts = [data.subarray(0, 5), data.subarray(5, 5), data.subarray(5, 1005), data.subarray(1005)];
  const digestsOf = (algorithm: ChecksumAlgorithm): Buffer[] => parts.map((part) => {
    const hasher = createHasher(algorithm);
    hasher.update(part);
    return hasher.digest();
  });

  test('CRC32, SHA1 and SHA256 composites', () => {
    assert.equal(compositeChecksum('CRC32', digestsOf('CRC32')), 'Uxh8FQ==-4');
    assert.equal(compositeChecksum('SHA1', digestsOf('SHA1')), 'z1sFx+qt1yu2Q1QXmTauX/e0eNs=-4');
    assert.equal(compositeChecksum('SHA256', digestsOf('SHA256')), 'rilMvJ6vSRZ+Ep57jUFp9DKZWlcT7CXfRCTdY0yUiAU=-4');
  });

  test('a single part is still hashed again, and wrong digest lengths are programmer errors', () => {
    const one = digestsOf('CRC32').slice(0, 1);
    const expected = createHasher('CRC32');
    expected.update(one[0]!);
    assert.equal(compositeChecksum('CRC32', one), `${expected.digest().toString('base64')}-1`);
    assert.throws(() => compositeChecksum('CRC32', [Buffer.alloc(8)]), assert.AssertionError);
  });
});

describe('combineCrc', () => {
  const algorithms = ['CRC32', 'CRC32C', 'CRC64NVME'] as const;

  function crcOf(algorithm: ChecksumAlgorithm, data: Uint8Array): Buffer {
    const hasher = createHasher(algorithm);
    hasher.update(data);
    return hasher.digest();
  }

  test('equals the CRC of the concatenation for random splits, including empty parts', () => {
    const data = randomBytes(200_000);
    for (let round = 0; round < 40; round++) {
      const cuts = Array.from({ length: Math.floor(Math.random() * 8) }, () => Math.floor(Math.random() * (data.length + 1)));
      if (round % 4 === 0) cuts.push(cuts[0] ?? 0, 0, data.length); // repeated cuts make empty parts
      const bounds = [0, ...cuts.sort((a, b) => a - b), data.length];
      for (const algorithm of algorithms) {
        const parts = [];
        for (let i = 0; i + 1 < bounds.length; i++) {
          const part = data.subarray(bounds[i], bounds[i + 1]);
          parts.push({ digest: crcOf(algorithm, part), lengthBytes: part.length });
        }
        assert.deepEqual(combineCrc(algorithm, parts), crcOf(algorithm, data), `${algorithm} cuts ${bounds.join(',')}`);
      }
    }
  });

  test('many equal-sized parts, as a multipart upload has', () => {
    const partBytes = 5 * 1024 + 1;
    const data = randomBytes(partBytes * 300 + 17);
    for (const algorithm of algorithms) {
      const parts = [];
      for (let start = 0; start < data.length; start += partBytes) {
        const part = data.subarray(start, start + partBytes);
        parts.push({ digest: crcOf(algorithm, part), lengthBytes: part.length });
      }
      assert.deepEqual(combineCrc(algorithm, parts), crcOf(algorithm, data), algorithm);
    }
  });

  test('large part lengths (64 MiB of zeros after a prefix)', () => {
    const zeros = Buffer.alloc(1024 * 1024);
    const prefix = randomBytes(1000);
    for (const algorithm of ['CRC32', 'CRC32C'] as const) {
      const whole = createHasher(algorithm);
      const zerosOnly = createHasher(algorithm);
      whole.update(prefix);
      for (let i = 0; i < 64; i++) {
        whole.update(zeros);
        zerosOnly.update(zeros);
      }
      const combined = combineCrc(algorithm, [
        { digest: crcOf(algorithm, prefix), lengthBytes: prefix.length },
        { digest: zerosOnly.digest(), lengthBytes: 64 * zeros.length },
      ]);
      assert.deepEqual(combined, whole.digest(), algorithm);
    }
  });

  test('no parts, and one part, are the CRC of what they cover', () => {
    for (const algorithm of algorithms) {
      assert.deepEqual(combineCrc(algorithm, []), crcOf(algorithm, Buffer.alloc(0)));
      const one = crcOf(algorithm, fox);
      assert.deepEqual(combineCrc(algorithm, [{ digest: one, lengthBytes: fox.length }]), one);
    }
  });

  test('a wrong digest length or a bad part length is a programmer error', () => {
    assert.throws(() => combineCrc('CRC64NVME', [{ digest: Buffer.alloc(4), lengthBytes: 1 }]), assert.AssertionError);
    assert.throws(() => combineCrc('CRC32', [{ digest: Buffer.alloc(4), lengthBytes: -1 }]), assert.AssertionError);
    assert.throws(() => combineCrc('CRC32', [{ digest: Buffer.alloc(4), lengthBytes: 1.5 }]), assert.AssertionError);
  });
});
