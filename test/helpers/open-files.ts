// How many file descriptors this process holds: tests that a read or a request closes what it opened.
import { readdirSync } from 'node:fs';

export function openFileCount(): number {
  return readdirSync('/proc/self/fd').length;
}
