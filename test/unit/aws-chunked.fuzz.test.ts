// Fuzz test for the aws-chunked decoder: thousands of mutated bodies, checked against a whole-buffer reference parser.
//
// Properties: the streaming decoder (fed random piece sizes) succeeds exactly when the simple
// reference parser below accepts the body, with the same payload and trailers; every failure is
// an S3Error; it never yields more than decodedLengthBytes; it never hangs (the cases run in a
// worker thread the test terminates after a deadline). Reproduce a failure with FUZZ_SEED=<seed>.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { S3Error } from '../../src/core/errors.js';
import { limits } from '../../src/core/limits.js';
import { AwsChunkedDecoder, type AwsChunkedOptions } from '../../src/protocol/aws-chunked.js';
import { ToySignatureChain, asyncPieces, encodeAwsChunked, sha256Hex, split } from './aws-chunked-fixtures.js';

const casesPerRun = 3000;
const deadlineMs = 30_000;

interface FuzzResult {
  cases: number;
  accepted: number;
  errorsByCode: Record<string, number>;
  failures: string[];
}

/** mulberry32: small, seedable, good enough to pick mutations. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  body: Buffer;
  signed: boolean;
  decodedLengthBytes: number | undefined;
  expectedTrailers: string[];
}

const trailerNames = ['x-amz-checksum-crc32', 'x-amz-checksum-sha256', 'x-amz-meta-a'];
const interesting = Buffer.from('0123456789abcdefABCDEF;=:-x \r\n\r\n\n\n');

function validCase(random: () => number): Case {
  const int = (n: number): number => Math.floor(random() * n);
  const payload = randomBytes(random() < 0.1 ? 0 : int(2000));
  const trailers: [string, string][] = trailerNames.filter(() => random() < 0.4).map((name) => [name, randomBytes(int(40)).toString('base64')]);
  const signed = random() < 0.4;
  const body = encodeAwsChunked(payload, {
    chunkBytes: [1 + int(1500), 1 + int(200)],
    trailers,
    ...(signed ? { signer: new ToySignatureChain() } : {}),
    trailerEol: random() < 0.3 ? '\n' : '\r\n',
    omitFinalEmptyLine: random() < 0.2,
  });
  return {
    body,
    signed,
    decodedLengthBytes: random() < 0.8 ? payload.length : undefined,
    expectedTrailers: trailers.map(([name]) => name),
  };
}

function mutate(original: Case, random: () => number): Case {
  const int = (n: number): number => Math.floor(random() * n);
  let body = Buffer.from(original.body);
  let { decodedLengthBytes, expectedTrailers } = original;
  const mutations = 1 + int(3);
  for (let m = 0; m < mutations; m++) {
    const at = int(body.length + 1);
    switch (int(9)) {
      case 0: if (at < body.length) body[at] ^= 1 << int(8); break;
      case 1: if (at < body.length) body[at] = interesting[int(interesting.length)]!; break;
      case 2: body = Buffer.concat([body.subarray(0, at), randomBytes(1 + int(3)).map(() => interesting[int(interesting.length)]!), body.subarray(at)]); break;
      case 3: body = Buffer.concat([body.subarray(0, at), body.subarray(at + 1 + int(10))]); break;
      case 4: body = body.subarray(0, at); break;
      case 5: body = Buffer.concat([body.subarray(0, at), body.subarray(at, at + 1 + int(20)), body.subarray(at)]); break;
      case 6: decodedLengthBytes = decodedLengthBytes === undefined ? int(2000) : Math.max(0, decodedLengthBytes + int(3) - 1); break;
      case 7: expectedTrailers = random() < 0.5 ? expectedTrailers.slice(1) : [...expectedTrailers, trailerNames[int(trailerNames.length)]!]; break;
      default: if (at < body.length) body[at] = int(256); break;
    }
  }
  return { body, signed: original.signed, decodedLengthBytes, expectedTrailers: [...new Set(expectedTrailers)] };
}

/**
 * The grammar, written plainly over the whole body (no streaming), with the decoder's rules:
 * CRLF chunk lines, LF or CRLF trailer lines, final empty line optional at the end, limits.
 */
function referenceDecode(c: Case): { payload: Buffer; trailers: Map<string, string> } | undefined {
  const chain = c.signed ? new ToySignatureChain() : undefined;
  const sign = (hash: string, signature: string | undefined): boolean => {
    if (!chain) return signature === undefined;
    if (signature === undefined) return false;
    try {
      chain.verifyChunk(hash, signature);
      return true;
    } catch {
      return false;
    }
  };
  const body = c.body;
  const payload: Buffer[] = [];
  let announced = 0;
  let position = 0;
  for (;;) {
    const lf = body.indexOf(10, position);
    if (lf < 0 || lf - position + 1 > limits.awsChunkHeaderBytesMax) return undefined;
    const line = body.toString('latin1', position, lf);
    const match = /^([0-9a-fA-F]{1,16})(?:;chunk-signature=([0-9a-fA-F]{64}))?\r$/.exec(line);
    if (!match) return undefined;
    const size = parseInt(match[1]!, 16);
    if (size > limits.awsChunkSizeBytesMax) return undefined;
    announced += size;
    if (c.decodedLengthBytes !== undefined && announced > c.decodedLengthBytes) return undefined;
    position = lf + 1;
    const data = body.subarray(position, position + size);
    if (data.length < size || !sign(sha256Hex(data), match[2])) return undefined;
    if (size === 0) break;
    payload.push(data);
    position += size;
    if (body[position] !== 13 || body[position + 1] !== 10) return undefined;
    position += 2;
  }
  const trailers = new Map<string, string>();
  let canonical = '';
  let trailerSignature: string | undefined;
  let trailerBytes = 0;
  let ended = false;
  while (!ended) {
    if (position === body.length) break; // final empty line omitted
    const lf = body.indexOf(10, position);
    if (lf < 0) return undefined;
    trailerBytes += lf - position + 1;
    if (trailerBytes > limits.awsChunkTrailerBytesMax) return undefined;
    const line = body.toString('latin1', position, body[lf - 1] === 13 && lf > position ? lf - 1 : lf);
    position = lf + 1;
    if (line === '') {
      ended = true;
      if (position !== body.length) return undefined;
      break;
    }
    const colon = line.indexOf(':');
    const name = line.slice(0, Math.max(colon, 0)).toLowerCase();
    if (colon <= 0 || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) return undefined;
    const value = line.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') {
      if (!chain || trailerSignature !== undefined || !/^[0-9a-fA-F]{64}$/.test(value)) return undefined;
      trailerSignature = value;
    } else {
      if (!c.expectedTrailers.includes(name) || trailers.has(name)) return undefined;
      trailers.set(name, value);
      canonical += `${name}:${value}\n`;
    }
  }
  if (c.expectedTrailers.some((name) => !trailers.has(name))) return undefined;
  if (chain && trailerSignature !== undefined) {
    try {
      chain.verifyTrailer(canonical, trailerSignature);
    } catch {
      return undefined;
    }
  } else if (chain && c.expectedTrailers.length > 0) {
    return undefined;
  }
  if (c.decodedLengthBytes !== undefined && announced !== c.decodedLengthBytes) return undefined;
  return { payload: Buffer.concat(payload), trailers };
}

async function checkCase(c: Case, random: () => number, result: FuzzResult): Promise<string | undefined> {
  const options: AwsChunkedOptions = {
    decodedLengthBytes: c.decodedLengthBytes,
    expectedTrailers: c.expectedTrailers,
    ...(c.signed ? { signed: new ToySignatureChain() } : {}),
  };
  const decoder = new AwsChunkedDecoder(options);
  const pieceBytesMax = [1, 7, 64, 5000][Math.floor(random() * 4)]!;
  const pieces = split(c.body, () => 1 + Math.floor(random() * pieceBytesMax));
  const outputs: Buffer[] = [];
  let yielded = 0;
  let thrown: unknown;
  try {
    for await (const output of decoder.decode(asyncPieces(pieces))) {
      outputs.push(output);
      yielded += output.length;
      if (c.decodedLengthBytes !== undefined && yielded > c.decodedLengthBytes) return `yielded ${yielded} > ${c.decodedLengthBytes}`;
    }
  } catch (error) {
    thrown = error;
  }
  const expected = referenceDecode(c);
  if (thrown !== undefined) {
    if (!(thrown instanceof S3Error)) return `threw a non-S3Error: ${String(thrown)}`;
    if (expected) return `threw ${thrown.code} (${thrown.message}) but the reference accepts the body`;
    result.errorsByCode[thrown.code] = (result.errorsByCode[thrown.code] ?? 0) + 1;
    return undefined;
  }
  if (!expected) return 'accepted a body the reference rejects';
  if (!Buffer.concat(outputs).equals(expected.payload)) return 'payload differs from the reference';
  if (JSON.stringify([...decoder.trailers]) !== JSON.stringify([...expected.trailers])) return 'trailers differ from the reference';
  result.accepted++;
  return undefined;
}

async function runFuzz(seed: number, cases: number): Promise<FuzzResult> {
  const random = prng(seed);
  const result: FuzzResult = { cases, accepted: 0, errorsByCode: {}, failures: [] };
  for (let i = 0; i < cases; i++) {
    const valid = validCase(random);
    const c = i % 10 === 0 ? valid : mutate(valid, random);
    const failure = await checkCase(c, random, result);
    if (failure) {
      const shown = JSON.stringify({ ...c, body: c.body.toString('latin1').slice(0, 400) });
      result.failures.push(`case ${i}: ${failure}; ${shown}`);
      if (result.failures.length >= 5) break;
    }
  }
  return result;
}

if (isMainThread) {
  test('aws-chunked decoder against mutated bodies', { timeout: deadlineMs + 5_000 }, async (t) => {
    const seed = process.env['FUZZ_SEED'] ? Number(process.env['FUZZ_SEED']) : Math.floor(Math.random() * 2 ** 31);
    t.diagnostic(`seed ${seed}`);
    const worker = new Worker(new URL(import.meta.url), { workerData: { seed, cases: casesPerRun } });
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await new Promise<FuzzResult>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        timer = setTimeout(() => reject(new Error(`no result after ${deadlineMs} ms: the decoder hangs (seed ${seed})`)), deadlineMs);
      });
      t.diagnostic(`${result.cases} cases, ${result.accepted} accepted, errors ${JSON.stringify(result.errorsByCode)}`);
      assert.deepEqual(result.failures, [], `seed ${seed}`);
      // The mix must exercise both outcomes, or the fuzzer is not testing much.
      assert.ok(result.accepted > result.cases / 20, `only ${result.accepted} accepted`);
      assert.ok(result.accepted < result.cases / 2, `${result.accepted} accepted: mutations too mild`);
    } finally {
      clearTimeout(timer);
      await worker.terminate();
    }
  });
} else {
  const { seed, cases } = workerData as { seed: number; cases: number };
  parentPort!.postMessage(await runFuzz(seed, cases));
}
