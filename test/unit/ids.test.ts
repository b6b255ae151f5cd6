// Identifier shapes clients depend on: upload ids the AWS CLI can take as an argument, version and key ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newAccessKeyId, newUploadId, newVersionId } from '../../src/core/ids.js';

test('upload ids are 64 URL-safe characters and never start with "-" (the AWS CLI would read an option)', () => {
  for (let i = 0; i < 20_000; i++) {
    const id = newUploadId();
    assert.match(id, /^[A-Za-z][A-Za-z0-9_-]{63}$/);
  }
});

test('version ids are 32 alphanumerics; access key ids carry their kind', () => {
  for (let i = 0; i < 1000; i++) assert.match(newVersionId(), /^[A-Za-z0-9]{32}$/);
  assert.match(newAccessKeyId('AKIA'), /^AKIA[A-Z2-7]{16}$/);
  assert.match(newAccessKeyId('ASIA'), /^ASIA[A-Z2-7]{16}$/);
});
