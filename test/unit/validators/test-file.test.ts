// Test-file validator: which keys are connection checks, which account they verify, size bound, bounded read.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultTestFileConfig, testFileValidator } from '../../../src/delivery/validators/test-file.js';
import { bufferObject, contextOf, never, scope } from './objects.js';

describe('test-file', () => {
  const context = contextOf([]);

  test('test.txt at the delivery account root verifies that account', async () => {
    const object = bufferObject('acme/acme_uk/test.txt', Buffer.from('hello from acme\nsecond line\n'));
    assert.equal(testFileValidator.appliesTo(object, defaultTestFileConfig, context), true);
    const result = await testFileValidator.validate(object, defaultTestFileConfig, context, never());
    assert.equal(result.outcome, 'passed');
    assert.equal(result.validator, 'test-file');
    assert.equal(result.details?.['verified'], true);
    assert.equal(result.details?.['deliveryAccount'], 'acme_uk');
    assert.equal(result.details?.['partner'], 'acme');
    assert.equal(result.details?.['firstLine'], 'hello from acme');
    assert.ok(result.durationMs >= 0);
  });

  test('an empty test.txt (touch test.txt) is fine', async () => {
    const result = await testFileValidator.validate(bufferObject('acme/acme_uk/test.txt', Buffer.alloc(0)), defaultTestFileConfig, context, never());
    assert.equal(result.outcome, 'passed');
    assert.equal(result.details?.['firstLine'], '');
  });

  test('only the account root counts, with the exact (case-sensitive) name', () => {
    for (const key of ['acme/acme_uk/video/test.txt', 'acme/acme_uk/Test.txt', 'acme/acme_uk/test.txt.md5', 'acme/test.txt', 'other/acme_uk/test.txt']) {
      assert.equal(testFileValidator.appliesTo(bufferObject(key, Buffer.from('x')), defaultTestFileConfig, context), false, key);
    }
    const single = contextOf([], { partner: 'acme', deliveryAccount: 'acme', rootPrefix: 'acme/' });
    assert.equal(testFileValidator.appliesTo(bufferObject('acme/test.txt', Buffer.from('x')), defaultTestFileConfig, single), true);
    const renamed = { ...defaultTestFileConfig, fileName: 'connection-check.txt' };
    assert.equal(testFileValidator.appliesTo(bufferObject(`${scope.rootPrefix}connection-check.txt`, Buffer.from('x')), renamed, context), true);
  });

  test('reads only the preview, and rejects an oversized test file without reading it', async () => {
    const object = bufferObject('acme/acme_uk/test.txt', Buffer.alloc(100_000, 'a'));
    const result = await testFileValidator.validate(object, defaultTestFileConfig, context, never());
    assert.equal(result.outcome, 'passed');
    assert.equal(object.reader.bytesServed, defaultTestFileConfig.previewBytes);
    assert.equal(String(result.details?.['firstLine']).length, defaultTestFileConfig.previewBytes);

    const large = bufferObject('acme/acme_uk/test.txt', Buffer.alloc(2 * 1024 * 1024));
    const rejected = await testFileValidator.validate(large, defaultTestFileConfig, context, never());
    assert.equal(rejected.outcome, 'failed');
    assert.deepEqual(rejected.issues.map((i) => i.code), ['TEST_FILE_TOO_LARGE']);
    assert.match(rejected.issues[0]!.cause, /2097152 bytes; a connection test file may be at most 1048576 bytes/);
    assert.equal(rejected.details?.['verified'], false);
    assert.equal(large.reader.reads.length, 0);
  });

  test('an aborted signal rejects', async () => {
    const controller = new AbortController();
    controller.abort(new Error('timeout'));
    await assert.rejects(testFileValidator.validate(bufferObject('acme/acme_uk/test.txt', Buffer.from('x')), defaultTestFileConfig, context, controller.signal), /timeout/);
  });
});
