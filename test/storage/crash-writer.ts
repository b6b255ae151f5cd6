// Test helper: a child node process (running the compiled stores) is SIGKILLed while writing a blob.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface CrashReport {
  /** A blob the child finished before the crash: it must survive. */
  finishedBlobId: string;
  /** The blob the child was writing when it was killed: it must never appear. */
  unfinishedBlobId: string;
}

/** Bytes of the blob the child finishes: position i holds i mod 251. */
export function crashPattern(sizeBytes: number): Buffer {
  const data = Buffer.allocUnsafe(sizeBytes);
  for (let i = 0; i < sizeBytes; i++) data[i] = i % 251;
  return data;
}

export const crashFinishedBytes = 3 * 1024 * 1024 + 5;

const childSource = `
const [dir, mode, fsUrl, encryptedUrl, keyUrl] = process.argv.slice(1);
const { openFsBlobStore } = await import(fsUrl);
const fs = await openFsBlobStore({ dir });
let store = fs;
if (mode === 'encrypted') {
  const { EncryptedBlobStore } = await import(encryptedUrl);
  const { loadOrCreateMasterKey } = await import(keyUrl);
  store = new EncryptedBlobStore(fs, await loadOrCreateMasterKey(dir + '/master.key'));
}
const size = ${crashFinishedBytes};
const data = Buffer.allocUnsafe(size);
for (let i = 0; i < size; i++) data[i] = i % 251;
const done = await store.create();
for (let at = 0; at < size; at += 100000) await done.write(data.subarray(at, at + 100000));
const { blobId } = await done.finish();
const open = await store.create();
console.log(JSON.stringify({ finishedBlobId: blobId, unfinishedBlobId: open.blobId }));
for (let written = 0; written < 256 * 1024 * 1024; written += 1024 * 1024) {
  await open.write(Buffer.alloc(1024 * 1024, 7));
  if (written === 8 * 1024 * 1024) console.log('midway');
  if (written > 8 * 1024 * 1024) await new Promise((resolve) => setTimeout(resolve, 5));
}
setInterval(() => {}, 1000);
`;

/** Runs the child against `dir` and kills it with SIGKILL in the middle of its second blob. */
export async function killWriterMidBlob(dir: string, mode: 'plain' | 'encrypted'): Promise<CrashReport> {
  const url = (path: string) => new URL(path, import.meta.url).href;
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', childSource, dir, mode,
      url('../../src/storage/fs/fs-blob-store.js'), url('../../src/storage/encrypted-blob-store.js'), url('../../src/storage/master-key.js')],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  let report: CrashReport | undefined;
  for await (const line of createInterface({ input: child.stdout })) {
    if (line === 'midway') {
      child.kill('SIGKILL');
      break;
    }
    report = JSON.parse(line) as CrashReport;
  }
  const signal = await exited;
  assert.equal(signal, 'SIGKILL', `the child was killed mid-write (stderr: ${stderr})`);
  assert.ok(report, 'the child reported its blobs');
  return report;
}
