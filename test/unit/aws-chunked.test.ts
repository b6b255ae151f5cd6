// Unit tests for the aws-chunked decoder: SDK framings, re-chunked input, signatures, lengths, truncation, garbage.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { S3Error, type S3ErrorCode } from '../../src/core/errors.js';
import { limits } from '../../src/core/limits.js';
import { AwsChunkedDecoder, type AwsChunkedOptions, type ChunkSignatureVerifier } from '../../src/protocol/aws-chunked.js';
import {
  ToySignatureChain, asyncPieces, decodeAll, decodeError, emptySha256Hex, encodeAwsChunked, sha256Hex, split,
} from './aws-chunked-fixtures.js';

const crcTrailer = 'x-amz-checksum-crc32';

function crc32Base64(data: Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data));
  return out.toString('base64');
}

async function expectError(pieces: Buffer[], options: AwsChunkedOptions, code: S3ErrorCode, why = '', message?: RegExp): Promise<void> {
  const error = await decodeError(pieces, options);
  assert.ok(error instanceof S3Error, `expected S3Error ${code} ${why}, got ${String(error)}`);
  assert.equal(error.code, code, `${why}: ${error.message}`);
  if (message) assert.match(error.message, message, why);
}

const text = (value: string): Buffer[] => [Buffer.from(value, 'latin1')];

describe('unsigned bodies as the SDKs frame them', () => {
  test('JS SDK v3 / botocore: STREAMING-UNSIGNED-PAYLOAD-TRAILER with a CRC32 trailer', async () => {
    const payload = Buffer.from('Hello, aws-chunked world!\n');
    const checksum = 'oUDGAg=='; // python3: base64(zlib.crc32(payload).to_bytes(4, 'big'))
    assert.equal(crc32Base64(payload), checksum);
    // Exactly what @smithy getAwsChunkedEncodingStream pushes: size, data, CRLF, "0", trailer, empty line.
    const body = Buffer.from(`1a\r\nHello, aws-chunked world!\n\r\n0\r\n${crcTrailer}:${checksum}\r\n\r\n`);
    const { payload: decoded, trailers } = await decodeAll([body], { decodedLengthBytes: 26, expectedTrailers: [crcTrailer] });
    assert.deepEqual(decoded, payload);
    assert.deepEqual([...trailers], [[crcTrailer, checksum]]);
  });

  test('JS SDK without a checksum ends with "0\\r\\n" and no empty line', async () => {
    const body = Buffer.from('5\r\nhello\r\n3\r\nabc\r\n0\r\n');
    const { payload, trailers } = await decodeAll([body], { decodedLengthBytes: 8, expectedTrailers: [] });
    assert.equal(payload.toString(), 'helloabc');
    assert.equal(trailers.size, 0);
  });

  test('"0\\r\\n\\r\\n" with no trailers, and an empty payload', async () => {
    const { payload } = await decodeAll(text('0\r\n\r\n'), { decodedLengthBytes: 0, expectedTrailers: [] });
    assert.equal(payload.length, 0);
  });

  test('trailer lines ending in LF only, and a missing final empty line after a trailer', async () => {
    const payload = randomBytes(1000);
    const checksum = crc32Base64(payload);
    for (const variant of [{ trailerEol: '\n' as const }, { omitFinalEmptyLine: true }, { trailerEol: '\n' as const, omitFinalEmptyLine: true }]) {
      const body = encodeAwsChunked(payload, { chunkBytes: 300, trailers: [[crcTrailer, checksum]], ...variant });
      const outcome = await decodeAll([body], { decodedLengthBytes: 1000, expectedTrailers: [crcTrailer] });
      assert.deepEqual(outcome.payload, payload);
      assert.equal(outcome.trailers.get(crcTrailer), checksum, JSON.stringify(variant));
    }
  });

  test('trailer names compare case-insensitively and values are trimmed', async () => {
    const body = Buffer.from('1\r\nx\r\n0\r\nX-Amz-Checksum-CRC32C:  AAAAAA==\t\r\n\r\n');
    const { trailers } = await decodeAll([body], { expectedTrailers: ['X-Amz-Checksum-Crc32c'] });
    assert.deepEqual([...trailers], [['x-amz-checksum-crc32c', 'AAAAAA==']]);
  });

  test('upper-case and zero-padded hex sizes (up to 16 digits) are accepted', async () => {
    const body = Buffer.from(`A\r\n0123456789\r\n000000000000000B\r\nabcdefghijk\r\n0\r\n\r\n`);
    const { payload } = await decodeAll([body], { expectedTrailers: [] });
    assert.equal(payload.toString(), '0123456789abcdefghijk');
  });
});

describe('input split at every boundary', () => {
  const payload = randomBytes(5000);
  const checksum = crc32Base64(payload);
  const bodies = {
    unsigned: encodeAwsChunked(payload, { chunkBytes: [1, 2, 1024, 999], trailers: [[crcTrailer, checksum]] }),
    unsignedLf: encodeAwsChunked(payload, { chunkBytes: 777, trailers: [[crcTrailer, checksum]], trailerEol: '\n' }),
  };

  for (const [name, body] of Object.entries(bodies)) {
    for (const pieceBytes of [1, 2, 7, 64, 4096]) {
      test(`${name} in ${pieceBytes}-byte pieces`, async () => {
        const pieces = split(body, () => pieceBytes);
        const outcome = await decodeAll(pieces, { decodedLengthBytes: payload.length, expectedTrailers: [crcTrailer] });
        assert.deepEqual(outcome.payload, payload);
        assert.equal(outcome.trailers.get(crcTrailer), checksum);
        // Zero-copy: every output is a view of one of the input buffers.
        const inputs = new Set(pieces.map((piece) => piece.buffer));
        assert.ok(outcome.outputs.every((output) => inputs.has(output.buffer)));
      });
    }
  }

  test('signed body with trailer, cut at every single position into two pieces', async () => {
    const small = randomBytes(300);
    const trailers: [string, string][] = [[crcTrailer, crc32Base64(small)]];
    const body = encodeAwsChunked(small, { chunkBytes: 128, trailers, signer: new ToySignatureChain() });
    for (let cut = 1; cut < body.length; cut++) {
      const verifier = new ToySignatureChain();
      const outcome = await decodeAll([body.subarray(0, cut), body.subarray(cut)], { signed: verifier, decodedLengthBytes: 300, expectedTrailers: [crcTrailer] });
      assert.deepEqual(outcome.payload, small, `cut at ${cut}`);
      assert.equal(verifier.calls.length, 5); // 3 data chunks, the final chunk, the trailer
    }
  });

  test('random piece sizes over many bodies', async () => {
    for (let round = 0; round < 50; round++) {
      const data = randomBytes(Math.floor(Math.random() * 20_000));
      const body = encodeAwsChunked(data, { chunkBytes: 1 + Math.floor(Math.random() * 5000) });
      const pieces = split(body, () => 1 + Math.floor(Math.random() * 3000));
      const outcome = await decodeAll(pieces, { decodedLengthBytes: data.length, expectedTrailers: [] });
      assert.deepEqual(outcome.payload, data);
    }
  });
});

describe('bounded memory', () => {
  test('a chunk announcing 5 GiB streams out as its bytes arrive', async () => {
    const piece = Buffer.alloc(64 * 1024, 7);
    let piecesRead = 0;
    async function* source(): AsyncGenerator<Buffer> {
      yield Buffer.from(`${limits.awsChunkSizeBytesMax.toString(16)}\r\n`);
      for (let i = 0; i < 64; i++) {
        piecesRead++;
        yield piece;
      }
    }
    const decoder = new AwsChunkedDecoder({ expectedTrailers: [] });
    let outputBytes = 0;
    let piecesReadAtFirstOutput = -1;
    await assert.rejects(async () => {
      for await (const output of decoder.decode(source())) {
        if (piecesReadAtFirstOutput < 0) piecesReadAtFirstOutput = piecesRead;
        assert.equal(output.buffer, piece.buffer);
        outputBytes += output.length;
      }
    }, (error: unknown) => error instanceof S3Error && error.code === 'IncompleteBody');
    assert.equal(piecesReadAtFirstOutput, 1);
    assert.equal(outputBytes, 64 * piece.length);
  });

  test('a chunk larger than awsChunkSizeBytesMax is refused before any data', async () => {
    await expectError(text(`${(limits.awsChunkSizeBytesMax + 1).toString(16)}\r\nx`), { expectedTrailers: [] }, 'InvalidRequest');
  });
});

describe('signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER])', () => {
  test('the AWS documentation example (66560 × "a", 64 KiB chunks) verifies with real SigV4 chunk signatures', async () => {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html — example values.
    const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();
    const signingKey = hmac(hmac(hmac(hmac('AWS4wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '20130524'), 'us-east-1'), 's3'), 'aws4_request');
    let previous = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';
    const verified: string[] = [];
    const sigv4: ChunkSignatureVerifier = {
      verifyChunk(chunkSha256Hex, signature) {
        const toSign = ['AWS4-HMAC-SHA256-PAYLOAD', '20130524T000000Z', '20130524/us-east-1/s3/aws4_request', previous, emptySha256Hex, chunkSha256Hex].join('\n');
        const expected = createHmac('sha256', signingKey).update(toSign).digest('hex');
        if (expected !== signature) throw new S3Error('SignatureDoesNotMatch');
        previous = expected;
        verified.push(signature);
      },
      verifyTrailer() {
        assert.fail('no trailer in this example');
      },
    };
    const body = Buffer.concat([
      Buffer.from('10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n'),
      Buffer.alloc(65536, 'a'), Buffer.from('\r\n'),
      Buffer.from('400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n'),
      Buffer.alloc(1024, 'a'), Buffer.from('\r\n'),
      Buffer.from('0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n'),
    ]);
    const outcome = await decodeAll(split(body, () => 10_000), { signed: sigv4, decodedLengthBytes: 66560, expectedTrailers: [] });
    assert.deepEqual(outcome.payload, Buffer.alloc(66560, 'a'));
    assert.equal(verified.length, 3);
    assert.equal(verified[2], 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9');

    // One flipped payload byte breaks the first chunk's signature.
    const tampered = Buffer.from(body);
    tampered[200] = 'b'.charCodeAt(0);
    previous = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';
    await expectError([tampered], { signed: sigv4, expectedTrailers: [] }, 'SignatureDoesNotMatch');
  });

  test('the verifier is given each chunk\'s SHA-256 (independently computed) and the canonical trailer', async () => {
    const payload = randomBytes(2500);
    const chunks = [payload.subarray(0, 1000), payload.subarray(1000, 2000), payload.subarray(2000)];
    const checksum = crc32Base64(payload);
    const body = encodeAwsChunked(payload, { chunkBytes: 1000, trailers: [[crcTrailer, checksum]], signer: new ToySignatureChain() });
    const verifier = new ToySignatureChain();
    await decodeAll(split(body, () => 333), { signed: verifier, decodedLengthBytes: 2500, expectedTrailers: [crcTrailer] });
    assert.deepEqual(verifier.calls.map((call) => [call.kind, call.input]), [
      ['chunk', sha256Hex(chunks[0]!)],
      ['chunk', sha256Hex(chunks[1]!)],
      ['chunk', sha256Hex(chunks[2]!)],
      ['chunk', emptySha256Hex],
      ['trailer', `${crcTrailer}:${checksum}\n`],
    ]);
  });

  test('wrong, malformed or missing signatures', async () => {
    const payload = Buffer.from('signed payload');
    const good = encodeAwsChunked(payload, { chunkBytes: 5, signer: new ToySignatureChain() }).toString('latin1');
    const options = (): AwsChunkedOptions => ({ signed: new ToySignatureChain(), expectedTrailers: [] });
    const firstSignature = /chunk-signature=([0-9a-f]{64})/.exec(good)![1]!;
    await decodeAll(text(good), options());
    await decodeAll(text(good.replace(firstSignature, firstSignature.toUpperCase())), options());
    await expectError(text(good.replace(firstSignature, '0'.repeat(64))), options(), 'SignatureDoesNotMatch', 'wrong');
    await expectError(text(good.replace(firstSignature, firstSignature.slice(1))), options(), 'SignatureDoesNotMatch', 'short');
    await expectError(text(good.replace(`;chunk-signature=${firstSignature}`, '')), options(), 'SignatureDoesNotMatch', 'missing');
    // The final chunk's signature counts too.
    const lastSignature = /0;chunk-signature=([0-9a-f]{64})\r\n\r\n$/.exec(good)![1]!;
    await expectError(text(good.replace(lastSignature, firstSignature)), options(), 'SignatureDoesNotMatch', 'final');
  });

  test('trailer signatures: required with trailers, checked, refused when unsigned', async () => {
    const payload = Buffer.from('x');
    const trailers: [string, string][] = [[crcTrailer, crc32Base64(payload)]];
    const signedBody = encodeAwsChunked(payload, { chunkBytes: 1, trailers, signer: new ToySignatureChain() }).toString('latin1');
    const options = (): AwsChunkedOptions => ({ signed: new ToySignatureChain(), expectedTrailers: [crcTrailer] });
    await decodeAll(text(signedBody), options());
    const withoutSignature = signedBody.replace(/x-amz-trailer-signature:[0-9a-f]+\r\n/, '');
    await expectError(text(withoutSignature), options(), 'SignatureDoesNotMatch', 'missing trailer signature');
    const otherValue = signedBody.replace(trailers[0]![1], 'AAAAAA==');
    await expectError(text(otherValue), options(), 'SignatureDoesNotMatch', 'trailer changed');
    const unsignedBody = encodeAwsChunked(payload, { chunkBytes: 1, trailers }).toString('latin1');
    const withSignature = unsignedBody.replace('\r\n\r\n', `\r\nx-amz-trailer-signature:${'a'.repeat(64)}\r\n\r\n`);
    await expectError(text(withSignature), { expectedTrailers: [crcTrailer] }, 'InvalidRequest', 'signature on unsigned');
    const chunkSignatureOnUnsigned = `1;chunk-signature=${'a'.repeat(64)}\r\nx\r\n0\r\n\r\n`;
    await expectError(text(chunkSignatureOnUnsigned), { expectedTrailers: [] }, 'InvalidRequest', 'chunk signature on unsigned');
  });
});

describe('lengths and truncation', () => {
  const payload = randomBytes(3000);
  const checksum = crc32Base64(payload);
  const body = encodeAwsChunked(payload, { chunkBytes: 1024, trailers: [[crcTrailer, checksum]] });

  test('decoded length larger or smaller than the body', async () => {
    await expectError([body], { decodedLengthBytes: 3001, expectedTrailers: [crcTrailer] }, 'IncompleteBody', 'longer');
    for (const declared of [0, 1024, 2999]) {
      const decoder = new AwsChunkedDecoder({ decodedLengthBytes: declared, expectedTrailers: [crcTrailer] });
      let yielded = 0;
      await assert.rejects(async () => {
        for await (const output of decoder.decode(asyncPieces(split(body, () => 100)))) yielded += output.length;
      }, (error: unknown) => error instanceof S3Error && error.code === 'IncompleteBody');
      assert.ok(yielded <= declared, `yielded ${yielded} > declared ${declared}`);
    }
  });

  test('every truncation is IncompleteBody, except a missing final empty line', async () => {
    const lenient = body.length - 2;
    for (let end = 0; end < body.length; end++) {
      const prefix = [body.subarray(0, end)];
      const options = { decodedLengthBytes: payload.length, expectedTrailers: [crcTrailer] };
      if (end === lenient) {
        assert.deepEqual((await decodeAll(prefix, options)).payload, payload);
      } else {
        await expectError(prefix, options, 'IncompleteBody', `cut at ${end}`);
      }
    }
  });

  test('truncation without a declared length, and an empty body', async () => {
    await expectError([body.subarray(0, 1500)], { expectedTrailers: [crcTrailer] }, 'IncompleteBody');
    await expectError([], { expectedTrailers: [] }, 'IncompleteBody', 'empty');
    await expectError(text('5\r\nhello\r\n'), { expectedTrailers: [] }, 'IncompleteBody', 'no final chunk');
  });
});

describe('malformed framing', () => {
  const cases: [string, string, S3ErrorCode][] = [
    ['sign', '+5\r\nhello\r\n0\r\n\r\n', 'InvalidRequest'],
    ['negative', '-5\r\nhello\r\n0\r\n\r\n', 'InvalidRequest'],
    ['leading space', ' 5\r\nhello\r\n0\r\n\r\n', 'InvalidRequest'],
    ['trailing space', '5 \r\nhello\r\n0\r\n\r\n', 'InvalidRequest'],
    ['0x prefix', '0x5\r\nhello\r\n0\r\n\r\n', 'InvalidRequest'],
    ['empty size', '\r\nhello\r\n0\r\n\r\n', 'InvalidRequest'],
    ['17 hex digits', '00000000000000005\r\nhello\r\n0\r\n\r\n', 'InvalidRequest'],
    ['huge size', 'ffffffffffffffff\r\nhello\r\n0\r\n\r\n', 'InvalidRequest'],
    ['LF-only chunk header', '5\nhello\r\n0\r\n\r\n', 'InvalidRequest'],
    ['other chunk extension', '5;foo=bar\r\nhello\r\n0\r\n\r\n', 'InvalidRequest'],
    ['data longer than announced', '4\r\nhello\r\n0\r\n\r\n', 'InvalidRequest'],
    ['data shorter than announced', '6\r\nhello\r\n0\r\n\r\n', 'InvalidRequest'],
    ['no CRLF after data', '5\r\nhello0\r\n\r\n', 'InvalidRequest'],
    ['bytes after the end', '5\r\nhello\r\n0\r\n\r\nextra', 'InvalidRequest'],
    ['a second empty line', '5\r\nhello\r\n0\r\n\r\n\r\n', 'InvalidRequest'],
    ['unexpected trailer', '5\r\nhello\r\n0\r\nx-amz-meta-foo:bar\r\n\r\n', 'InvalidRequest'],
    ['trailer without colon', '5\r\nhello\r\n0\r\nx-amz-checksum-crc32\r\n\r\n', 'InvalidRequest'],
    ['trailer with empty name', '5\r\nhello\r\n0\r\n:AAAAAA==\r\n\r\n', 'InvalidRequest'],
    ['trailer name with space', '5\r\nhello\r\n0\r\nx-amz-checksum crc32:AAAAAA==\r\n\r\n', 'InvalidRequest'],
    ['duplicate trailer', '5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n', 'InvalidRequest'],
    ['announced trailer missing', '5\r\nhello\r\n0\r\n\r\n', 'InvalidRequest'],
    ['partial trailer line at the end', '5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAA', 'IncompleteBody'],
    ['binary garbage', '\x00\x01\x02\xff\r\n', 'InvalidRequest'],
    ['HTTP request instead', 'PUT / HTTP/1.1\r\nHost: x\r\n\r\n', 'InvalidRequest'],
  ];
  for (const [name, body, code] of cases) {
    test(name, async () => {
      const expectedTrailers = name === 'announced trailer missing' || name.includes('trailer') ? [crcTrailer] : [];
      for (const pieceBytes of [1, 3, 1000]) {
        await expectError(split(Buffer.from(body, 'latin1'), () => pieceBytes), { expectedTrailers }, code, `${name} in ${pieceBytes}-byte pieces`);
      }
    });
  }

  test('header and trailer lines longer than the limits', async () => {
    const tooLong = /too long/;
    const names = Array.from({ length: limits.awsChunkTrailerBytesMax / 16 }, (_, i) => `x-amz-meta-${String(i).padStart(4, '0')}`);
    for (const pieceBytes of [1, 100, 100_000]) {
      const longHeader = Buffer.from(`5;${'x'.repeat(limits.awsChunkHeaderBytesMax)}\r\nhello\r\n0\r\n\r\n`);
      await expectError(split(longHeader, () => pieceBytes), { expectedTrailers: [] }, 'InvalidRequest', 'header', tooLong);
      const endlessHeader = Buffer.alloc(100_000, 'x');
      await expectError(split(endlessHeader, () => pieceBytes), { expectedTrailers: [] }, 'InvalidRequest', 'endless', tooLong);
      const longTrailer = Buffer.from(`0\r\n${crcTrailer}:${'A'.repeat(limits.awsChunkTrailerBytesMax)}\r\n\r\n`);
      await expectError(split(longTrailer, () => pieceBytes), { expectedTrailers: [crcTrailer] }, 'InvalidRequest', 'trailer', tooLong);
      // Many short trailer lines (19 bytes each) count against one trailer budget.
      const manyTrailers = Buffer.from(`0\r\n${names.map((name) => `${name}:b\r\n`).join('')}\r\n`);
      await expectError(split(manyTrailers, () => pieceBytes), { expectedTrailers: names }, 'InvalidRequest', 'many', tooLong);
    }
  });

  test('decode() runs once', async () => {
    const decoder = new AwsChunkedDecoder({ expectedTrailers: [] });
    await decoder.decode(asyncPieces(text('0\r\n\r\n'))).next();
    await assert.rejects(decoder.decode(asyncPieces(text('0\r\n\r\n'))).next(), assert.AssertionError);
  });
});
