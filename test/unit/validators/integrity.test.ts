// Integrity validator: sidecar formats, stored digests vs computing in bounded chunks, mismatches, aborts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { defaultIntegrityConfig, integrityValidator, parseSidecar, sidecarSubjectKey, type IntegrityConfig } from '../../../src/delivery/validators/integrity.js';
import { validatorLimits } from '../../../src/delivery/validators/validator.js';
import { bufferObject, contextOf, never } from './objects.js';

const key = 'acme/acme_uk/Title_Feature.mov';
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const multipartEtag = 'a'.repeat(32) + '-3';

async function run(content: ReturnType<typeof bufferObject>, sidecars: Record<string, string>, config: IntegrityConfig = defaultIntegrityConfig, signal = never()) {
  const others = Object.entries(sidecars).map(([ext, text]) => bufferObject(`${content.key}.${ext}`, Buffer.from(text)));
  return integrityValidator.validate(content, config, contextOf([content, ...others]), signal);
}

describe('integrity: sidecar parsing', () => {
  test('md5sum/sha256sum lines, bare digests, BSD form; garbage is a reason', () => {
    const hex = 'd41d8cd98f00b204e9800998ecf8427e';
    assert.deepEqual(parseSidecar(`${hex}\n`), [{ hex }]);
    assert.deepEqual(parseSidecar(`${hex.toUpperCase()}  Title_Feature.mov\r\n`), [{ hex, name: 'Title_Feature.mov' }]);
    assert.deepEqual(parseSidecar(`${hex} *Title_Feature.mov`), [{ hex, name: 'Title_Feature.mov' }]);
    assert.deepEqual(parseSidecar(`MD5 (Title_Feature.mov) = ${hex}`), [{ hex, name: 'Title_Feature.mov' }]);
    assert.deepEqual(parseSidecar(`# made by md5sum\n\n${hex}  a.mov\n${hex}  b.mov\n`), [{ hex, name: 'a.mov' }, { hex, name: 'b.mov' }]);
    assert.match(parseSidecar('checksum: abc') as string, /is not "<hex digest>  <file name>"/);
    assert.equal(parseSidecar('\n  \n'), 'it is empty');
  });

  test('sidecar keys map back to their file; sidecars themselves are not checked', () => {
    assert.equal(sidecarSubjectKey('a/Title.mov.md5', defaultIntegrityConfig), 'a/Title.mov');
    assert.equal(sidecarSubjectKey('a/Title.mov.SHA256', defaultIntegrityConfig), 'a/Title.mov');
    assert.equal(sidecarSubjectKey('a/Title.mov', defaultIntegrityConfig), undefined);
    assert.equal(integrityValidator.appliesTo(bufferObject('a/Title.mov.md5', Buffer.from('x')), defaultIntegrityConfig, contextOf([])), false);
    assert.equal(integrityValidator.appliesTo(bufferObject('a/Title.mov', Buffer.from('x')), defaultIntegrityConfig, contextOf([])), true);
  });
});

describe('integrity: verification', () => {
  const bytes = randomBytes(100_000);

  test('single-part object: the MD5 sidecar is checked against the ETag without reading the object', async () => {
    const object = bufferObject(key, bytes, { checksums: { CRC64NVME: 'AAAAAAAAAAA=' } });
    const result = await run(object, { md5: `${md5(bytes)}  Title_Feature.mov\n` });
    assert.equal(result.outcome, 'passed');
    assert.equal(object.reader.reads.length, 0);
    const check = (result.details?.['checks'] as Array<Record<string, unknown>>)[0]!;
    assert.equal(check['source'], 'single-part ETag');
    assert.equal(check['actual'], md5(bytes));
    assert.deepEqual(result.details?.['verifiedAtWrite'], [{ algorithm: 'CRC64NVME', type: 'full-object' }]);
  });

  test('multipart object: the MD5 is computed by reading the object once, in chunks of at most 8 MiB', async () => {
    const big = randomBytes(20 * 1024 * 1024 + 123);
    const object = bufferObject(key, big, { etag: multipartEtag, checksums: { CRC32: 'AAAAAA==-3' } });
    const result = await run(object, { md5: md5(big) });
    assert.equal(result.outcome, 'passed');
    assert.equal(object.reader.bytesServed, big.length);
    assert.ok(object.reader.reads.every(([s, e]) => e - s <= validatorLimits.readChunkBytesMax));
    assert.equal(object.reader.reads.length, 3);
    assert.equal(result.details?.['bytesRead'], big.length);
    assert.deepEqual(result.details?.['verifiedAtWrite'], [{ algorithm: 'CRC32', type: 'composite' }]);
  });

  test('a wrong sidecar is CHECKSUM_MISMATCH with both digests', async () => {
    const wrong = md5(Buffer.from('something else'));
    const result = await run(bufferObject(key, bytes, { etag: multipartEtag }), { md5: `${wrong}  Title_Feature.mov` });
    assert.equal(result.outcome, 'failed');
    assert.equal(result.issues.length, 1);
    const [problem] = result.issues;
    assert.equal(problem!.code, 'CHECKSUM_MISMATCH');
    assert.ok(problem!.cause.includes(wrong) && problem!.cause.includes(md5(bytes)), problem!.cause);
    assert.ok(problem!.cause.includes('Title_Feature.mov.md5'));
    assert.match(problem!.fix, /_R<n>/);
  });

  test('SHA-256: a stored full-object checksum is used; a composite one is not, so it is computed', async () => {
    const stored = Buffer.from(sha256(bytes), 'hex').toString('base64');
    const trusted = bufferObject(key, bytes, { checksums: { SHA256: stored } });
    assert.equal((await run(trusted, { sha256: sha256(bytes) })).outcome, 'passed');
    assert.equal(trusted.reader.reads.length, 0);

    const composite = bufferObject(key, bytes, { etag: multipartEtag, checksums: { SHA256: `${stored}-2` } });
    const result = await run(composite, { sha256: `${sha256(bytes)}  Title_Feature.mov` });
    assert.equal(result.outcome, 'passed');
    assert.equal(composite.reader.bytesServed, bytes.length);

    const mismatch = await run(bufferObject(key, bytes, { checksums: { SHA256: stored } }), { sha256: sha256(Buffer.from('x')) });
    assert.deepEqual(mismatch.issues.map((i) => i.code), ['CHECKSUM_MISMATCH']);
  });

  test('both sidecars are verified from a single pass over the object', async () => {
    const object = bufferObject(key, bytes, { etag: multipartEtag });
    const result = await run(object, { md5: md5(bytes), sha256: sha256(bytes) });
    assert.equal(result.outcome, 'passed');
    assert.equal(object.reader.bytesServed, bytes.length);
    assert.equal((result.details?.['checks'] as unknown[]).length, 2);
  });

  test('trustStoredDigests: false re-reads even a single-part object', async () => {
    const object = bufferObject(key, bytes);
    const result = await run(object, { md5: md5(bytes) }, { ...defaultIntegrityConfig, trustStoredDigests: false });
    assert.equal(result.outcome, 'passed');
    assert.equal(object.reader.bytesServed, bytes.length);
  });

  test('a sidecar for another file, with the wrong length, or unreadable text is reported', async () => {
    const other = await run(bufferObject(key, bytes), { md5: `${md5(bytes)}  Other_Title.mov` });
    assert.deepEqual(other.issues.map((i) => i.code), ['CHECKSUM_SIDECAR_WRONG_FILE']);
    assert.match(other.issues[0]!.cause, /`Other_Title\.mov`, not of `Title_Feature\.mov`/);
    const multi = await run(bufferObject(key, bytes), { md5: `${'0'.repeat(32)}  a.mov\n${md5(bytes)}  ./video/Title_Feature.mov\n` });
    assert.equal(multi.outcome, 'passed');
    const short = await run(bufferObject(key, bytes), { sha256: md5(bytes) });
    assert.deepEqual(short.issues.map((i) => i.code), ['CHECKSUM_SIDECAR_INVALID']);
    assert.match(short.issues[0]!.cause, /32 hex digits; SHA256 has 64/);
    const garbage = await run(bufferObject(key, bytes), { md5: 'not a checksum' });
    assert.deepEqual(garbage.issues.map((i) => i.code), ['CHECKSUM_SIDECAR_INVALID']);
    const huge = await run(bufferObject(key, bytes), { md5: `${md5(bytes)}\n`.repeat(5000) });
    assert.match(huge.issues[0]!.cause, /it is 165000 bytes, over 65536/);
    // An ETag as S3 writes it, in quotes, is still the MD5 of a single-part object.
    const quoted = bufferObject(key, bytes, { etag: `"${md5(bytes)}"` });
    assert.equal((await run(quoted, { md5: md5(bytes) })).outcome, 'passed');
    assert.equal(quoted.reader.reads.length, 0);
  });

  test('no sidecar: skipped, or CHECKSUM_SIDECAR_MISSING when required', async () => {
    const skipped = await run(bufferObject(key, bytes), {});
    assert.equal(skipped.outcome, 'skipped');
    assert.equal(skipped.issues.length, 0);
    const required = await run(bufferObject(key, bytes), {}, { ...defaultIntegrityConfig, requireSidecar: true });
    assert.equal(required.outcome, 'failed');
    assert.deepEqual(required.issues.map((i) => i.code), ['CHECKSUM_SIDECAR_MISSING']);
    assert.match(required.issues[0]!.cause, /Title_Feature\.mov\.md5 or Title_Feature\.mov\.sha256/);
  });

  test('objects over hashSizeBytesMax are not read; the check is skipped and says why', async () => {
    const object = bufferObject(key, bytes, { etag: multipartEtag });
    const result = await run(object, { md5: md5(bytes) }, { ...defaultIntegrityConfig, hashSizeBytesMax: 1000 });
    assert.equal(result.outcome, 'skipped');
    assert.equal(object.reader.reads.length, 0);
    assert.match(String(result.details?.['unverified']), /over the hashing limit of 1000/);
  });

  test('an abort stops hashing between chunks and rejects with the abort reason', async () => {
    const big = randomBytes(3 * validatorLimits.readChunkBytesMax);
    const object = bufferObject(key, big, { etag: multipartEtag });
    const controller = new AbortController();
    const read = object.reader.read.bind(object.reader);
    object.reader.read = async (start, end, signal) => {
      const chunk = await read(start, end, signal);
      controller.abort(new Error('validator timeout'));
      return chunk;
    };
    await assert.rejects(run(object, { md5: md5(big) }, defaultIntegrityConfig, controller.signal), /validator timeout/);
    assert.equal(object.reader.reads.length, 1);
  });
});
