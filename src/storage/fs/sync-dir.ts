// syncDir: fsync a directory, making the entries created, renamed or linked in it durable.
import { open } from 'node:fs/promises';

export async function syncDir(path: string): Promise<void> {
  const dir = await open(path, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
