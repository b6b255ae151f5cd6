// `prepare`: compile TypeScript unless dist/ is newer than every source file. npm runs `prepare` on
// install and also before each `npx s3push` in this checkout, so an up-to-date build must cost nothing.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const stamp = 'dist/.tsbuildinfo';

function newestMtimeMs(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtimeMs(join(path, name)));
  return newest;
}

let builtMs = 0;
try {
  builtMs = statSync(stamp).mtimeMs;
} catch {
  // never built
}
const sourcesMs = Math.max(...['src', 'test', 'bench', 'tsconfig.json', 'package.json'].map(newestMtimeMs));
if (builtMs > sourcesMs) process.exit(0);
const result = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
