// Error catalogue: docs/errors.md equals the rendered catalogue, every code is documented, issues fill in
// every placeholder. `S3PUSH_WRITE_DOCS=1` rewrites the doc instead of comparing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorCatalogue, issue, renderErrorCatalogueMarkdown, type IssueCode } from '../../../src/delivery/validators/error-catalogue.js';

/** The repository root: the nearest folder above this (compiled) file with the s3push package.json. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (dir !== dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 's3push') return dir;
    dir = dirname(dir);
  }
  throw new Error('repository root not found');
}

describe('error catalogue', () => {
  test('docs/errors.md is the rendered catalogue', () => {
    const path = join(repoRoot(), 'docs', 'errors.md');
    const rendered = renderErrorCatalogueMarkdown();
    if (process.env['S3PUSH_WRITE_DOCS'] === '1') writeFileSync(path, rendered);
    assert.equal(readFileSync(path, 'utf8'), rendered, 'docs/errors.md is stale: run this test with S3PUSH_WRITE_DOCS=1');
  });

  test('every code is documented once, with a cause and a fix', () => {
    const doc = renderErrorCatalogueMarkdown();
    const codes = Object.keys(errorCatalogue);
    assert.ok(codes.length >= 30);
    for (const code of codes) {
      assert.equal(doc.split(`### ${code}\n`).length, 2, `${code} appears once`);
      const entry = errorCatalogue[code as IssueCode];
      assert.ok(entry.cause.length > 20 && entry.fix.length > 20, code);
      assert.match(code, /^[A-Z][A-Z0-9_]+$/);
    }
  });

  test('issue() fills every placeholder, truncates long values, and needs exactly the right parameters', () => {
    const filled = issue('CHECKSUM_MISMATCH', { sidecar: 'a.mov.md5', algorithm: 'MD5', expected: 'e1', key: 'a.mov', actual: 'a1' });
    assert.equal(filled.code, 'CHECKSUM_MISMATCH');
    assert.equal(filled.cause, '`a.mov.md5` declares MD5 `e1`, but the delivered bytes of `a.mov` hash to `a1`.');
    const noParams = issue('NAMING_EMPTY_SEGMENT', { name: 'a//b' });
    assert.match(noParams.cause, /`a\/\/b`/);
    const long = issue('NAMING_HIDDEN_FILE', { name: 'x'.repeat(1000) });
    assert.ok(long.cause.length < 400 && long.cause.includes('…'));
    for (const code of Object.keys(errorCatalogue) as IssueCode[]) {
      const names = new Set([...`${errorCatalogue[code].cause} ${errorCatalogue[code].fix}`.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!));
      const params = Object.fromEntries([...names].map((n) => [n, `<${n}>`]));
      const made = (issue as (c: IssueCode, p: Record<string, string>) => { cause: string; fix: string })(code, params);
      assert.doesNotMatch(`${made.cause} ${made.fix}`, /\{\w+\}/, code);
    }
    // Compile-time checks (never run): a missing parameter or an unknown code does not build.
    const compileOnly = (): void => {
      // @ts-expect-error sidecar, algorithm, expected, key and actual are required
      issue('CHECKSUM_MISMATCH', { key: 'a.mov' });
      // @ts-expect-error no such code
      issue('NO_SUCH_CODE');
    };
    assert.equal(typeof compileOnly, 'function');
  });
});
