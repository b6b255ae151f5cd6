// Benchmark of checksum throughput (MB/s) on a 64 MiB buffer: every algorithm, and our CRC-64/NVME vs @aws-sdk/crc64-nvme.
//
// Run: npx tsc -p . --outDir dist-bench && node dist-bench/bench/checksums.bench.js [rounds]
// Rounds alternate between algorithms; the median is reported (shared VMs are noisy).
import { randomBytes } from 'node:crypto';
import { Crc64Nvme as AwsCrc64Nvme } from '@aws-sdk/crc64-nvme';
import { combineCrc, createHasher } from '../src/protocol/checksums.js';

const sizeBytes = 64 * 1024 * 1024;
const inputBytes = 64 * 1024;
const rounds = Number(process.argv[2] ?? 7);
const data = randomBytes(sizeBytes);

async function awsCrc64(): Promise<void> {
  const crc = new AwsCrc64Nvme();
  crc.update(data);
  await crc.digest();
}

function ours(algorithm: Parameters<typeof createHasher>[0], pieceBytes: number): () => void {
  return () => {
    const hasher = createHasher(algorithm);
    for (let i = 0; i < sizeBytes; i += pieceBytes) hasher.update(data.subarray(i, i + pieceBytes));
    hasher.digest();
  };
}

const cases: Record<string, () => unknown> = {
  'CRC64NVME (ours, whole buffer)': ours('CRC64NVME', sizeBytes),
  'CRC64NVME (ours, 64 KiB updates)': ours('CRC64NVME', inputBytes),
  'CRC64NVME (@aws-sdk/crc64-nvme)': awsCrc64,
  'CRC32 (@node-rs/crc32, 64 KiB updates)': ours('CRC32', inputBytes),
  'CRC32C (@node-rs/crc32, 64 KiB updates)': ours('CRC32C', inputBytes),
  'SHA1 (64 KiB updates)': ours('SHA1', inputBytes),
  'SHA256 (64 KiB updates)': ours('SHA256', inputBytes),
  'MD5 (64 KiB updates)': ours('MD5', inputBytes),
};

const timings: Record<string, number[]> = {};
for (const [name, run] of Object.entries(cases)) {
  await run(); // warm-up
  timings[name] = [];
}
for (let round = 0; round < rounds; round++) {
  for (const [name, run] of Object.entries(cases)) {
    const start = process.hrtime.bigint();
    await run();
    timings[name]!.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}
for (const [name, samples] of Object.entries(timings)) {
  const sorted = samples.sort((a, b) => a - b);
  const medianMs = sorted[Math.floor(sorted.length / 2)]!;
  console.log(`${name.padEnd(42)} ${(sizeBytes / 1e6 / (medianMs / 1000)).toFixed(0).padStart(6)} MB/s (median of ${rounds})`);
}

// combineCrc cost for the largest multipart upload: 10,000 parts.
for (const algorithm of ['CRC32', 'CRC64NVME'] as const) {
  const parts = Array.from({ length: 10_000 }, (_, i) => ({ digest: randomBytes(algorithm === 'CRC32' ? 4 : 8), lengthBytes: 8 * 1024 * 1024 + (i === 9_999 ? 12345 : 0) }));
  const start = process.hrtime.bigint();
  combineCrc(algorithm, parts);
  console.log(`combineCrc ${algorithm}, 10,000 parts: ${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(1)} ms`);
}
