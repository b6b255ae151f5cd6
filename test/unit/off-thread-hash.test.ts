// Off-thread hashing (protocol/off-thread-hash.ts): the digest equals node:crypto's for any chunking, size and
// number of concurrent hashes (beyond the off-thread slots, hashing falls back to the event loop); a hash asks
// its caller to wait when batches pile up; closed and finished hashes give their slots back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { limits } from '../../src/core/limits.js';
import { hashesOffThread, streamHash, type HashAlgorithmName, type StreamHash } from '../../src/protocol/off-thread-hash.js';

async function feed(hash: StreamHash, data: Buffer, chunkBytes: number): Promise<{ digest: Buffer; waits: number }> {
  let waits = 0;
  for (let offset = 0; offset < data.length; offset += chunkBytes) {
    const wait = hash.update(data.subarray(offset, offset + chunkBytes));
    if (wait) {
      waits++;
      await wait;
    }
  }
  return { digest: await hash.digest(), waits };
}

const expected = (algorithm: HashAlgorithmName, data: Buffer) => createHash(algorithm).update(data).digest();

test('MD5 and SHA-256 of large bodies match node:crypto for odd and aligned chunk sizes', async () => {
  const data = randomBytes(limits.offThreadHashBytesMin + limits.offThreadHashBatchBytes * 3 + 12_345);
  for (const algorithm of ['md5', 'sha256'] as const) {
    for (const chunkBytes of [1, 4093, 65_536, limits.offThreadHashBatchBytes, 3 * 1024 * 1024]) {
      const sample = chunkBytes === 1 ? data.subarray(0, 200_000) : data;
      const { digest } = await feed(streamHash(algorithm, data.length), sample, chunkBytes);
      assert.ok(digest.equals(expected(algorithm, sample)), `${algorithm} in ${chunkBytes}-byte chunks`);
    }
  }
  assert.equal(hashesOffThread(), 0, 'every finished hash gave its slot back');
});

test('small or unknown sizes hash on the event loop, with the same result', async () => {
  const data = randomBytes(100_000);
  for (const size of [data.length, undefined]) {
    const hash = streamHash('md5', size);
    assert.equal(hashesOffThread(), 0);
    assert.ok((await feed(hash, data, 7_000)).digest.equals(expected('md5', data)));
  }
});

test('a fast producer is asked to wait: at most a few batches are outstanding', async () => {
  const data = randomBytes(32 * 1024 * 1024);
  const { digest, waits } = await feed(streamHash('sha256', data.length), data, 1024 * 1024);
  assert.ok(digest.equals(expected('sha256', data)));
  assert.ok(waits > 0, 'update() returned a promise at least once');
});

test(`more concurrent hashes than ${limits.offThreadHashesMax} off-thread slots: all digests right; closing frees slots`, async () => {
  const count = limits.offThreadHashesMax + 8;
  const bodies = Array.from({ length: count }, (_, i) => randomBytes(limits.offThreadHashBytesMin + i * 1000));
  const hashes = bodies.map((body) => streamHash('md5', body.length));
  assert.equal(hashesOffThread(), limits.offThreadHashesMax);
  const results = await Promise.all(hashes.map((hash, i) => feed(hash, bodies[i]!, 256 * 1024)));
  results.forEach((result, i) => assert.ok(result.digest.equals(expected('md5', bodies[i]!)), `hash ${i}`));
  assert.equal(hashesOffThread(), 0);
  const abandoned = streamHash('md5', limits.offThreadHashBytesMin);
  abandoned.update(bodies[0]!.subarray(0, 1000));
  assert.equal(hashesOffThread(), 1);
  abandoned.close();
  abandoned.close();
  assert.equal(hashesOffThread(), 0);
});

test('workers start whatever flags the process was started with (here --input-type=module -e, as the s3-tests runbook starts the server)', async () => {
  const module = new URL('../../src/protocol/off-thread-hash.js', import.meta.url).href;
  const script = `const { streamHash } = await import(${JSON.stringify(module)});
    const hash = streamHash('md5', ${limits.offThreadHashBytesMin});
    const wait = hash.update(Buffer.alloc(${limits.offThreadHashBytesMin}, 7));
    if (wait) await wait;
    process.stdout.write((await hash.digest()).toString('hex'));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
  assert.equal(stdout, createHash('md5').update(Buffer.alloc(limits.offThreadHashBytesMin, 7)).digest('hex'));
});
