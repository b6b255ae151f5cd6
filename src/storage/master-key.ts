// loadOrCreateMasterKey: the 256-bit key that wraps every blob's data key (SSE-S3), kept in one file.
//
// Created once: 32 random bytes written to a temp file (mode 0600), fsync'd, then hard-linked
// to its name. link() fails if the name exists, so two processes starting at once (--workers N)
// cannot both create a key and overwrite each other's — the loser reads the winner's key (a
// rename would silently replace it, and blobs written under the replaced key would be lost).
// A file of any other size is refused: guessing would make every encrypted blob unreadable.
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { syncDir } from './fs/sync-dir.js';

export const masterKeyBytes = 32;

export async function loadOrCreateMasterKey(path: string): Promise<Buffer> {
  const existing = await readKeyFile(path);
  if (existing) return existing;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tempPath = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const key = randomBytes(masterKeyBytes);
  try {
    const file = await open(tempPath, 'wx', 0o600);
    try {
      await file.writeFile(key);
      await file.sync();
    } finally {
      await file.close();
    }
    await link(tempPath, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another process created the key first; use it.
    const winner = await readKeyFile(path);
    if (!winner) throw error;
    return winner;
  } finally {
    await rm(tempPath, { force: true });
  }
  await syncDir(dirname(path));
  return key;
}

async function readKeyFile(path: string): Promise<Buffer | undefined> {
  const file = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!file) return undefined;
  try {
    const { size } = await file.stat();
    if (size !== masterKeyBytes) {
      throw new Error(
        `master key file ${path} holds ${size} bytes; a master key is exactly ${masterKeyBytes} raw bytes. ` +
          'Refusing to use it: restore the original file (blobs encrypted under it cannot be read without it).',
      );
    }
    const key = Buffer.alloc(masterKeyBytes);
    const { bytesRead } = await file.read(key, 0, masterKeyBytes, 0);
    if (bytesRead !== masterKeyBytes) throw new Error(`master key file ${path} changed while being read`);
    return key;
  } finally {
    await file.close();
  }
}
