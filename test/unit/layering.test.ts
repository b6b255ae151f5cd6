// Imports point one way: a module may import its own layer and the layers below it, never one above
// (core ← protocol ← storage ← iam ← api ← delivery ← portal ← main ← cli). Read from the sources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const layers = ['core', 'protocol', 'storage', 'iam', 'api', 'delivery', 'portal', 'main', 'cli'];
const rank: Record<string, number> = { core: 0, protocol: 1, storage: 2, iam: 3, api: 4, delivery: 5, portal: 6, main: 7, cli: 8 };

const srcRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function layerOf(path: string): string {
  return relative(srcRoot, path).split(sep)[0]!;
}

test('every source folder is a known layer', () => {
  const folders = readdirSync(srcRoot).filter((name) => statSync(join(srcRoot, name)).isDirectory());
  assert.deepEqual(folders.filter((f) => !layers.includes(f)), []);
});

test('no module imports a layer above its own', () => {
  const violations: string[] = [];
  const files = sources(srcRoot);
  assert.ok(files.length > 50, `found only ${files.length} source files under ${srcRoot}`);
  for (const file of files) {
    const from = layerOf(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'(\.{1,2}\/[^']+)'/g)) {
      const target = resolve(dirname(file), match[1]!.replace(/\.js$/, '.ts'));
      if (!target.startsWith(srcRoot)) continue;
      const to = layerOf(target);
      if (rank[to]! > rank[from]!) violations.push(`${relative(srcRoot, file)} imports ${relative(srcRoot, target)} (${from} → ${to})`);
    }
    for (const match of text.matchAll(/import\('(\.{1,2}\/[^']+)'\)/g)) {
      const to = layerOf(resolve(dirname(file), match[1]!));
      if (rank[to]! > rank[from]!) violations.push(`${relative(srcRoot, file)} dynamically imports ${match[1]} (${from} → ${to})`);
    }
  }
  assert.deepEqual(violations, []);
});
