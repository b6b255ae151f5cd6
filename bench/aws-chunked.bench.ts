// Benchmark of the aws-chunked decoder: MB/s decoding 1 GiB of 1 MiB chunks delivered in 64 KiB input buffers.
//
// Run: npx tsc -p . --outDir dist-bench && node dist-bench/bench/aws-chunked.bench.js [rounds]
// The encoded stream is periodic (one chunk's framing repeated), so the source hands out views
// of one prepared buffer without copying and the figure is the decoder's own cost. "signed"
// uses a verifier that accepts every signature, so it measures framing plus per-chunk SHA-256;
// "+ CRC32" adds what the server does next with every decoded byte.
import { AwsChunkedDecoder, type ChunkSignatureVerifier } from '../src/protocol/aws-chunked.js';
import { createHasher } from '../src/protocol/checksums.js';

const chunkBytes = 1024 * 1024;
const chunkCount = 1024;
const inputBytes = 64 * 1024;
const rounds = Number(process.argv[2] ?? 5);

function periodicSource(signed: boolean): () => AsyncGenerator<Buffer> {
  const signature = signed ? `;chunk-signature=${'0'.repeat(64)}` : '';
  const header = Buffer.from(`${chunkBytes.toString(16)}${signature}\r\n`);
  const data = Buffer.alloc(chunkBytes, 0x61);
  const period = Buffer.concat([header, data, Buffer.from('\r\n')]);
  // The period followed by its own start, so any inputBytes window is one contiguous view.
  const unrolled = Buffer.concat([period, period.subarray(0, inputBytes)]);
  const framedBytes = period.length * chunkCount;
  const trailerSignature = signed ? `x-amz-trailer-signature:${'0'.repeat(64)}\r\n` : '';
  const end = Buffer.from(`0${signature}\r\nx-amz-checksum-crc32:AAAAAA==\r\n${trailerSignature}\r\n`);
  return async function* source() {
    for (let offset = 0; offset < framedBytes; offset += inputBytes) {
      const length = Math.min(inputBytes, framedBytes - offset);
      const start = offset % period.length;
      yield unrolled.subarray(start, start + length);
    }
    yield end;
  };
}

const acceptAll: ChunkSignatureVerifier = { verifyChunk() {}, verifyTrailer() {} };

async function decodeOnce(signed: boolean, crc32: boolean): Promise<number> {
  const decoder = new AwsChunkedDecoder({
    decodedLengthBytes: chunkBytes * chunkCount,
    expectedTrailers: ['x-amz-checksum-crc32'],
    ...(signed ? { signed: acceptAll } : {}),
  });
  const source = periodicSource(signed)();
  const hasher = crc32 ? createHasher('CRC32') : undefined;
  let total = 0;
  const start = process.hrtime.bigint();
  for await (const output of decoder.decode(source)) {
    hasher?.update(output);
    total += output.length;
  }
  const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (total !== chunkBytes * chunkCount) throw new Error(`decoded ${total} bytes`);
  return elapsedMs;
}

for (const [signed, crc32] of [[false, false], [false, true], [true, false]] as const) {
  await decodeOnce(signed, crc32); // warm-up
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) samples.push(await decodeOnce(signed, crc32));
  samples.sort((a, b) => a - b);
  const medianMs = samples[Math.floor(samples.length / 2)]!;
  const mbPerSecond = (chunkBytes * chunkCount) / 1e6 / (medianMs / 1000);
  console.log(`${signed ? 'signed (SHA-256 per chunk)' : 'unsigned'}${crc32 ? ' + CRC32' : ''}: 1 GiB in ${medianMs.toFixed(0)} ms = ${mbPerSecond.toFixed(0)} MB/s (median of ${rounds}, best ${((chunkBytes * chunkCount) / 1e6 / (samples[0]! / 1000)).toFixed(0)})`);
}
