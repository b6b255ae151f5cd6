// Unit tests for the pure S3 versioning decisions shared by MetaStore backends, and the key-walk bounds.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { commonPrefixOf, compareKeys, justAfter, prefixUpperBound } from '../../src/storage/sqlite/key-walk.js';
import {
  conditionsHold,
  decideDelete,
  decideWrite,
  deleteEventName,
  deleteMarkerOwner,
  type VersionSummary,
} from '../../src/storage/versioning-rules.js';

const fresh = () => 'FRESHFRESHFRESHFRESHFRESHFRESH01';
const v = (versionId: string, isLatest: boolean, isDeleteMarker = false, etag = 'e1'): VersionSummary => ({
  versionId,
  isLatest,
  isDeleteMarker,
  etag,
});

describe('decideWrite', () => {
  test('Enabled: fresh id, demotes any latest, never touches the null version', () => {
    assert.deepEqual(decideWrite('Enabled', {}, fresh), { versionId: fresh(), removeNullVersion: false, demoteLatest: false });
    assert.deepEqual(decideWrite('Enabled', { latest: v('null', true), nullVersion: v('null', true) }, fresh), {
      versionId: fresh(),
      removeNullVersion: false,
      demoteLatest: true,
    });
  });

  test('Unversioned and Suspended write null, replacing the null version', () => {
    for (const versioning of ['Unversioned', 'Suspended'] as const) {
      assert.deepEqual(decideWrite(versioning, {}, fresh), { versionId: 'null', removeNullVersion: false, demoteLatest: false });
      assert.deepEqual(decideWrite(versioning, { latest: v('null', true), nullVersion: v('null', true) }, fresh), {
        versionId: 'null',
        removeNullVersion: true,
        demoteLatest: false,
      });
    }
    // Suspended over an Enabled history: the null version is noncurrent, the latest is demoted.
    assert.deepEqual(decideWrite('Suspended', { latest: v('abc', true), nullVersion: v('null', false) }, fresh), {
      versionId: 'null',
      removeNullVersion: true,
      demoteLatest: true,
    });
  });
});

describe('decideDelete', () => {
  test('a named version is removed, promoting when it was latest; unknown is a noop', () => {
    assert.deepEqual(decideDelete('Enabled', { latest: v('b', true), target: v('b', true) }, 'b', fresh), {
      kind: 'removeVersion',
      versionId: 'b',
      wasDeleteMarker: false,
      promoteNewestRemaining: true,
    });
    assert.deepEqual(decideDelete('Enabled', { latest: v('b', true), target: v('m', false, true) }, 'm', fresh), {
      kind: 'removeVersion',
      versionId: 'm',
      wasDeleteMarker: true,
      promoteNewestRemaining: false,
    });
    assert.deepEqual(decideDelete('Enabled', { latest: v('b', true) }, 'zzz', fresh), { kind: 'noop' });
  });

  test('simple deletes: marker when Enabled/Suspended, removal or noop when Unversioned', () => {
    const enabled = decideDelete('Enabled', {}, undefined, fresh);
    assert.deepEqual(enabled, { kind: 'createMarker', write: { versionId: fresh(), removeNullVersion: false, demoteLatest: false } });
    const suspended = decideDelete('Suspended', { latest: v('null', true), nullVersion: v('null', true), target: v('null', true) }, undefined, fresh);
    assert.deepEqual(suspended, { kind: 'createMarker', write: { versionId: 'null', removeNullVersion: true, demoteLatest: false } });
    assert.equal(decideDelete('Unversioned', { latest: v('null', true), target: v('null', true) }, undefined, fresh).kind, 'removeVersion');
    assert.deepEqual(decideDelete('Unversioned', {}, undefined, fresh), { kind: 'noop' });
    assert.equal(deleteEventName(enabled), 'ObjectRemoved:DeleteMarkerCreated');
    assert.equal(deleteEventName({ kind: 'noop' }), undefined);
  });
});

describe('conditionsHold', () => {
  test('If-None-Match: * and If-Match against the latest; markers count as absent', () => {
    assert.equal(conditionsHold(undefined, v('a', true)), true);
    assert.equal(conditionsHold({ ifNoneMatchAny: true }, undefined), true);
    assert.equal(conditionsHold({ ifNoneMatchAny: true }, v('a', true)), false);
    assert.equal(conditionsHold({ ifNoneMatchAny: true }, v('m', true, true)), true);
    assert.equal(conditionsHold({ ifMatchEtag: 'e1' }, v('a', true)), true);
    assert.equal(conditionsHold({ ifMatchEtag: '"e1"' }, v('a', true)), true);
    assert.equal(conditionsHold({ ifMatchEtag: '*' }, v('a', true)), true);
    assert.equal(conditionsHold({ ifMatchEtag: 'e2' }, v('a', true)), false);
    assert.equal(conditionsHold({ ifMatchEtag: '*' }, undefined), false);
    assert.equal(conditionsHold({ ifMatchEtag: 'e1' }, v('m', true, true, 'e1')), false);
  });

  test('delete marker owner follows object ownership', () => {
    assert.equal(deleteMarkerOwner({ ownership: 'BucketOwnerEnforced', accountId: 'owner' }, 'writer'), 'owner');
    assert.equal(deleteMarkerOwner({ ownership: 'ObjectWriter', accountId: 'owner' }, 'writer'), 'writer');
  });
});

describe('key-walk bounds', () => {
  test('prefix upper bounds sit above every key with the prefix and below the next', () => {
    const keys = ['a/', 'a/\u{10FFFF}', 'a/\uFFFF', 'a0', 'a.', 'é', 'é/x', '\u{1F600}'];
    for (const prefix of ['a/', 'a', 'é', '\u{1F600}', '\uFFFF']) {
      const upper = prefixUpperBound(prefix);
      for (const key of keys) {
        const bytes = Buffer.from(key);
        const inRange = Buffer.compare(bytes, Buffer.from(prefix)) >= 0 && Buffer.compare(bytes, upper) < 0;
        assert.equal(inRange, key.startsWith(prefix), `${prefix} vs ${key}`);
      }
    }
    assert.deepEqual(prefixUpperBound(''), Buffer.from([0xff]));
    assert.deepEqual(justAfter('ab'), Buffer.from([0x61, 0x62, 0]));
  });

  test('keys compare by UTF-8 bytes, not UTF-16 units', () => {
    assert(compareKeys('\uFFFD', '\u{1F600}') < 0);
    assert('\uFFFD' > '\u{1F600}', 'JavaScript orders them the other way');
    assert.equal(compareKeys('a', 'a'), 0);
    assert.equal(commonPrefixOf('a/b/c', 'a/', '/'), 'a/b/');
    assert.equal(commonPrefixOf('a/b', 'a/', '/'), undefined);
    assert.equal(commonPrefixOf('a/b', '', undefined), undefined);
    assert.equal(commonPrefixOf('x--y', '', '--'), 'x--');
  });
});
