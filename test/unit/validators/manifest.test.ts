// Manifest validator: JSON, CSV and MovieLabs MMC manifests, packageStatus, and bad manifests.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { defaultManifestConfig, manifestValidator, parseManifest, type ManifestConfig } from '../../../src/delivery/validators/manifest.js';
import { packagePath } from '../../../src/delivery/validators/manifest-parse.js';
import { packageStatus } from '../../../src/delivery/validators/package-status.js';
import type { DeliveredObject } from '../../../src/delivery/validators/validator.js';
import { bufferObject, contextOf, never } from './objects.js';

const folder = 'acme/acme_uk/Title_2024/';
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

const feature = Buffer.from('feature bytes'.repeat(100));
const subs = Buffer.from('1\n00:00:01,000 --> 00:00:02,000\nHi\n');
const art = Buffer.from('artwork bytes');

/** The package as delivered: feature (single-part), subtitles, artwork (multipart: no MD5 known). */
function deliveredPackage(): DeliveredObject[] {
  return [
    bufferObject(`${folder}video/Title_Feature.mov`, feature),
    bufferObject(`${folder}Title_Subs_en.srt`, subs, { checksums: { SHA256: Buffer.from(sha256(subs), 'hex').toString('base64') } }),
    bufferObject(`${folder}Title_Art.jpg`, art, { etag: `${'b'.repeat(32)}-2` }),
  ];
}

async function validate(name: string, text: string, objects: DeliveredObject[] = deliveredPackage(), config: ManifestConfig = defaultManifestConfig) {
  const manifest = bufferObject(`${folder}${name}`, Buffer.from(text));
  const context = contextOf([manifest, ...objects]);
  const result = await manifestValidator.validate(manifest, config, context, never());
  return { result, context, codes: result.issues.map((i) => i.code) };
}

const jsonManifest = (files: unknown[]): string => JSON.stringify({ package: 'Title_2024', files });
const goodFiles = () => [
  { path: 'video/Title_Feature.mov', size: feature.length, md5: md5(feature) },
  { path: 'Title_Subs_en.srt', size: subs.length, sha256: sha256(subs) },
  { path: 'Title_Art.jpg', size: art.length, md5: md5(art) },
];

describe('manifest: JSON', () => {
  test('a complete package passes; files are looked up next to the manifest', async () => {
    const { result, context } = await validate('manifest.json', jsonManifest(goodFiles()));
    assert.equal(result.outcome, 'passed', JSON.stringify(result.issues));
    assert.equal(result.details?.['status'], 'complete');
    assert.equal(result.details?.['package'], 'Title_2024');
    assert.equal(result.details?.['format'], 'json');
    assert.deepEqual([result.details?.['expectedCount'], result.details?.['presentCount']], [3, 3]);
    // The multipart artwork has no known MD5: not a failure, but listed as unverified.
    assert.deepEqual(result.details?.['unverified'], [{ path: 'Title_Art.jpg', algorithm: 'MD5' }]);
    assert.ok(context.lookups.includes(`${folder}video/Title_Feature.mov`));
  });

  test('a package missing files is incomplete, one MANIFEST_FILE_MISSING per file', async () => {
    const files = [...goodFiles(), { path: 'Title_Trailer.mov' }, { path: 'video/title_feature.mov' }];
    const { result, codes } = await validate('Title_2024_manifest.json', jsonManifest(files));
    assert.equal(result.outcome, 'failed');
    assert.equal(result.details?.['status'], 'incomplete');
    assert.deepEqual(codes, ['MANIFEST_FILE_MISSING', 'MANIFEST_FILE_MISSING']);
    assert.deepEqual(result.details?.['missing'], ['Title_Trailer.mov', 'video/title_feature.mov']);
    assert.equal(result.issues[0]!.cause, '`Title_Trailer.mov` is listed in `Title_2024_manifest.json` but has not been delivered.');
  });

  test('size and checksum mismatches', async () => {
    const files = goodFiles();
    files[0]!.size = 1;
    files[1]!.sha256 = sha256(Buffer.from('other'));
    const { result, codes } = await validate('manifest.json', jsonManifest(files));
    assert.deepEqual(codes, ['MANIFEST_SIZE_MISMATCH', 'MANIFEST_CHECKSUM_MISMATCH']);
    assert.match(result.issues[0]!.cause, new RegExp(`is ${feature.length} bytes, but \`manifest.json\` says 1 bytes`));
    assert.match(result.issues[1]!.cause, /SHA256/);
  });

  test('extra files are ignored by default and reported in extraFiles: fail mode (sidecars and the manifest excepted)', async () => {
    const objects = [...deliveredPackage(), bufferObject(`${folder}Stray_File.mov`, Buffer.from('x')), bufferObject(`${folder}Title_Art.jpg.md5`, Buffer.from(md5(art)))];
    assert.equal((await validate('manifest.json', jsonManifest(goodFiles()), objects)).result.outcome, 'passed');
    const strict = await validate('manifest.json', jsonManifest(goodFiles()), objects, { ...defaultManifestConfig, extraFiles: 'fail' });
    assert.deepEqual(strict.codes, ['MANIFEST_EXTRA_FILE']);
    assert.deepEqual(strict.result.details?.['extra'], ['Stray_File.mov']);
    assert.equal(strict.result.details?.['status'], 'complete');
  });

  test('broken JSON manifests', async () => {
    const cases: Array<[string, string[], RegExp]> = [
      ['{"files": [', ['MANIFEST_INVALID'], /not valid JSON/],
      ['{"package": "x"}', ['MANIFEST_INVALID'], /"files" array/],
      ['{"files": []}', ['MANIFEST_INVALID'], /lists no files/],
      [jsonManifest([{ path: '../../other_partner/x.mov' }]), ['MANIFEST_BAD_PATH'], /`\.\.\/\.\.\/other_partner\/x\.mov`/],
      [jsonManifest([{ path: '/abs/x.mov' }, { size: 3 }, 'x']), ['MANIFEST_BAD_PATH', 'MANIFEST_INVALID', 'MANIFEST_INVALID'], /not a relative path/],
      [jsonManifest([{ path: 'a.mov', size: -1 }]), ['MANIFEST_INVALID'], /size "-1" is not a whole number/],
      [jsonManifest([{ path: 'a.mov', md5: 'xyz' }]), ['MANIFEST_INVALID'], /md5 "xyz" is not 32 hex digits/],
    ];
    for (const [text, expected, cause] of cases) {
      const { result, codes } = await validate('manifest.json', text);
      assert.equal(result.outcome, 'failed', text);
      assert.deepEqual(codes, expected, text);
      assert.match(result.issues[0]!.cause, cause, text);
    }
    const duplicate = await validate('manifest.json', jsonManifest([...goodFiles(), { path: 'Title_Art.jpg', size: 5 }]));
    assert.ok(duplicate.codes.includes('MANIFEST_DUPLICATE_PATH'));
  });
});

describe('manifest: CSV', () => {
  test('path,size,md5 with quoting and CRLF; a bad row is reported, the good rows still count', async () => {
    const csv = ['path,size,md5', `"video/Title_Feature.mov",${feature.length},${md5(feature)}`, `Title_Art.jpg,${art.length},`, 'Title_Subs_en.srt,abc,', 'only_one_column', ''].join('\r\n');
    const { result, codes } = await validate('manifest.csv', csv);
    assert.deepEqual(codes, ['MANIFEST_INVALID', 'MANIFEST_INVALID']);
    assert.match(result.issues[0]!.cause, /row 4: size "abc" is not a whole number of bytes/);
    assert.match(result.issues[1]!.cause, /row 5 has 1 columns, the header has 3/);
    assert.equal(result.details?.['expectedCount'], 2);
    assert.equal(result.details?.['status'], 'complete');
  });

  test('path,size,sha256 in another column order; a missing file; bad headers and quoting', async () => {
    const csv = `sha256,path,size\n${sha256(subs)},Title_Subs_en.srt,${subs.length}\n,Missing.mov,\n`;
    const { codes, result } = await validate('manifest.csv', csv);
    assert.deepEqual(codes, ['MANIFEST_FILE_MISSING']);
    assert.deepEqual(result.details?.['missing'], ['Missing.mov']);
    assert.deepEqual((await validate('manifest.csv', 'file,size\na.mov,1\n')).codes, ['MANIFEST_INVALID']);
    const quote = await validate('manifest.csv', 'path,size\n"a.mov,1\n');
    assert.match(quote.result.issues[0]!.cause, /quoted field is not closed/);
  });
});

describe('manifest: MovieLabs MMC', () => {
  const mmc = (inventory: string, extra = ''): string => `<?xml version="1.0" encoding="UTF-8"?>${extra}
<manifest:MediaManifest xmlns:manifest="http://www.movielabs.com/schema/manifest/v1.8/manifest" xmlns:md="http://www.movielabs.com/schema/md/v2.7/md" ManifestID="md:manifestid:org:acme:title">
  <manifest:Compatibility><manifest:SpecVersion>1.8</manifest:SpecVersion><manifest:Profile>MMC-1</manifest:Profile></manifest:Compatibility>
  <manifest:Inventory>${inventory}</manifest:Inventory>
</manifest:MediaManifest>`;
  const asset = (kind: string, location: string, inner = ''): string =>
    `<manifest:${kind}><md:Type>primary</md:Type><manifest:ContainerReference><manifest:ContainerLocation>${location}</manifest:ContainerLocation>${inner}</manifest:ContainerReference></manifest:${kind}>`;

  test('Video and Audio in one file merge; file:// and leading / are the package root; Hash and Length are checked', async () => {
    const inventory = [
      asset('Video', 'file://video/Title_Feature.mov', `<manifest:Length>${feature.length}</manifest:Length>`),
      asset('Audio', '/video/Title_Feature.mov', `<manifest:Hash method="MD5">${md5(feature).toUpperCase()}</manifest:Hash>`),
      asset('Subtitle', 'Title_Subs_en.srt', `<manifest:Hash method="SHA-256">${sha256(subs)}</manifest:Hash>`),
      asset('Image', 'Title_Art.jpg'),
    ].join('\n');
    const { result } = await validate('Title_2024_mmc.xml', mmc(inventory));
    assert.equal(result.outcome, 'passed', JSON.stringify(result.issues));
    assert.equal(result.details?.['format'], 'mmc');
    assert.deepEqual(result.details?.['files'], [
      { path: 'video/Title_Feature.mov', sizeBytes: feature.length, md5: md5(feature) },
      { path: 'Title_Subs_en.srt', sha256: sha256(subs) },
      { path: 'Title_Art.jpg' },
    ]);
  });

  test('a Metadata reference that was not delivered is missing; a wrong hash is a mismatch', async () => {
    const inventory = [asset('Video', 'video/Title_Feature.mov', `<manifest:Hash method="MD5">${md5(Buffer.from('x'))}</manifest:Hash>`), asset('Metadata', 'Title_MEC.xml')].join('');
    const { codes } = await validate('manifest.xml', mmc(inventory));
    assert.deepEqual(codes.sort(), ['MANIFEST_CHECKSUM_MISMATCH', 'MANIFEST_FILE_MISSING']);
  });

  test('broken MMC: DTDs, other XML, malformed XML, assets without locations', async () => {
    const dtd = await validate('manifest.xml', mmc(asset('Video', 'a.mov'), '<!DOCTYPE x [<!ENTITY e "boom">]>'));
    assert.match(dtd.result.issues[0]!.cause, /DOCTYPE or ENTITY/);
    assert.match((await validate('manifest.xml', '<?xml version="1.0"?><Package/>')).result.issues[0]!.cause, /root element is not MediaManifest/);
    assert.match((await validate('manifest.xml', '<manifest:MediaManifest>')).result.issues[0]!.cause, /not well-formed XML/);
    const noLocation = await validate('manifest.xml', mmc('<manifest:Video><md:Type>primary</md:Type></manifest:Video>'));
    assert.match(noLocation.result.issues[0]!.cause, /Inventory\/Video\[1\] has no ContainerReference\/ContainerLocation/);
  });
});

describe('manifest: bounds and names', () => {
  test('oversized manifests are rejected unread; too many entries are rejected', async () => {
    const manifest = bufferObject(`${folder}manifest.json`, Buffer.alloc(1000, 0x20));
    const result = await manifestValidator.validate(manifest, { ...defaultManifestConfig, manifestBytesMax: 100 }, contextOf([manifest]), never());
    assert.deepEqual(result.issues.map((i) => i.code), ['MANIFEST_TOO_LARGE']);
    assert.equal(manifest.reader.reads.length, 0);
    const many = jsonManifest(Array.from({ length: 11 }, (_, i) => ({ path: `f${i}.mov` })));
    assert.deepEqual((await validate('manifest.json', many, [], { ...defaultManifestConfig, filesMax: 10 })).codes, ['MANIFEST_TOO_LARGE']);
    const csv = ['path', ...Array.from({ length: 11 }, (_, i) => `f${i}.mov`)].join('\n');
    assert.deepEqual((await validate('manifest.csv', csv, [], { ...defaultManifestConfig, filesMax: 10 })).codes, ['MANIFEST_TOO_LARGE']);
  });

  test('which files are manifests', () => {
    const applies = (name: string): boolean => manifestValidator.appliesTo(bufferObject(`${folder}${name}`, Buffer.from('x')), defaultManifestConfig, contextOf([]));
    assert.deepEqual(
      ['manifest.json', 'MANIFEST.CSV', 'Title_2024_manifest.json', 'Title-manifest.csv', 'Title_mmc.xml', 'manifest.xml', 'Title_MEC.xml', 'manifests.json', 'Title_Feature.mov'].map(applies),
      [true, true, true, true, true, true, false, false, false],
    );
  });

  test('package paths', () => {
    assert.equal(packagePath('./video/a.mov'), 'video/a.mov');
    for (const bad of ['', '/a.mov', 'a/../b.mov', 'a//b.mov', 'a\\b.mov', 'https://example.com/a.mov', 's3://bucket/a.mov', 'a/./b.mov']) {
      assert.equal(packagePath(bad), undefined, bad);
    }
    assert.equal(parseManifest('path\nvideo/a.mov\n', 'x/manifest.csv', 10).files[0]!.path, 'video/a.mov');
  });
});

describe('packageStatus', () => {
  test('complete, incomplete, extra and unverified', () => {
    const expected = [{ path: 'a.mov', sizeBytes: 10, md5: 'a'.repeat(32) }, { path: 'b.wav' }, { path: 'c.scc', sha256: 'c'.repeat(64) }];
    const complete = packageStatus(expected, [
      { path: 'a.mov', sizeBytes: 10, md5: 'a'.repeat(32) },
      { path: 'b.wav', sizeBytes: 5 },
      { path: 'c.scc', sizeBytes: 1 },
      { path: 'd.txt', sizeBytes: 1 },
    ]);
    assert.equal(complete.status, 'complete');
    assert.deepEqual(complete.extra, ['d.txt']);
    assert.deepEqual(complete.unverified, [{ path: 'c.scc', algorithm: 'SHA256' }]);
    assert.deepEqual([complete.expectedCount, complete.presentCount], [3, 3]);

    const broken = packageStatus(expected, [{ path: 'a.mov', sizeBytes: 11, md5: 'b'.repeat(32) }, { path: 'c.scc', sizeBytes: 1, sha256: 'c'.repeat(64) }]);
    assert.equal(broken.status, 'incomplete');
    assert.deepEqual(broken.missing, ['b.wav']);
    assert.deepEqual(broken.sizeMismatches, [{ path: 'a.mov', expectedBytes: 10, actualBytes: 11 }]);
    assert.deepEqual(broken.checksumMismatches, [{ path: 'a.mov', algorithm: 'MD5', expected: 'a'.repeat(32), actual: 'b'.repeat(32) }]);
    assert.equal(packageStatus([], []).status, 'complete');
    assert.equal(packageStatus([{ path: 'A.mov' }], [{ path: 'a.mov', sizeBytes: 1 }]).status, 'incomplete'); // case-sensitive
  });
});
