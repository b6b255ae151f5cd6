// File-type validator: real media fixtures by signature, text formats by sniffers, lying extensions, bounds.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { defaultFileTypeConfig, fileTypeValidator, type FileTypeConfig } from '../../../src/delivery/validators/file-type.js';
import { mediaFixtures, type MediaFiles } from '../../fixtures/media.js';
import { bufferObject, contextOf, fileObject, never } from './objects.js';

async function check(key: string, bytes: Buffer, config: FileTypeConfig = defaultFileTypeConfig) {
  const object = bufferObject(key, bytes);
  const result = await fileTypeValidator.validate(object, config, contextOf([]), never());
  return { result, object, codes: result.issues.map((i) => i.code) };
}

const media = await mediaFixtures();
const skip = typeof media === 'string' ? media : false;

describe('file-type: media by signature', { skip }, () => {
  let files: MediaFiles;
  before(() => {
    files = media as MediaFiles;
  });

  test('every fixture passes under its own extension, reading only the head', async () => {
    const cases: Array<[string, string | undefined]> = [['mp4', files.mp4], ['mov', files.mov], ['mxf', files.mxf], ['wav', files.wav], ['png', files.png], ['jpg', files.jpg], ['tif', files.tif]];
    for (const [extension, path] of cases) {
      if (!path) continue; // no MXF muxer in this ffmpeg
      const object = await fileObject(`acme/acme_uk/Title.${extension}`, path);
      const result = await fileTypeValidator.validate(object, defaultFileTypeConfig, contextOf([]), never());
      assert.equal(result.outcome, 'passed', `${extension}: ${JSON.stringify(result.issues)}`);
      assert.equal(object.reader.bytesServed, Math.min(object.sizeBytes, defaultFileTypeConfig.headBytes), extension);
    }
  });

  test('a TIFF whose first IFD lies past the head is still recognised', async () => {
    const bytes = await readFile(files.tif);
    assert.ok(bytes.readUInt32LE(4) > defaultFileTypeConfig.headBytes, 'the fixture keeps its IFD at the end');
    assert.equal((await check('Key_Art.tif', bytes)).result.outcome, 'passed');
  });

  test('extensions that lie: a PNG named .mov, a WAV named .mp4, an MP4 named .mov, a JPEG named .png', async () => {
    const png = await check('Title_Feature.mov', await readFile(files.png));
    assert.deepEqual(png.codes, ['FILE_TYPE_MISMATCH']);
    assert.match(png.result.issues[0]!.cause, /ends in `\.mov` \(QuickTime movie\) but its content is image\/png \(\.png\)/);
    assert.deepEqual((png.result.details?.['detected'] as { ext: string }).ext, 'png');
    assert.deepEqual((await check('Title.mp4', await readFile(files.wav))).codes, ['FILE_TYPE_MISMATCH']);
    assert.deepEqual((await check('Title.mov', await readFile(files.mp4))).codes, ['FILE_TYPE_MISMATCH']);
    assert.deepEqual((await check('Art.png', await readFile(files.jpg))).codes, ['FILE_TYPE_MISMATCH']);
    assert.deepEqual((await check('Subs.srt', await readFile(files.png))).codes, ['FILE_TYPE_MISMATCH']);
  });

  test('a truncated MP4 still has its signature (the media probe catches truncation)', async () => {
    const bytes = await readFile(files.mp4);
    assert.equal((await check('Title.mp4', bytes.subarray(0, 20_000))).result.outcome, 'passed');
  });
});

describe('file-type: signatures file-type misses', () => {
  test('RF64 (WAVE over 4 GiB) is a .wav; random bytes are nothing', async () => {
    const rf64 = Buffer.concat([Buffer.from('RF64'), Buffer.alloc(4, 0xff), Buffer.from('WAVEds64'), Buffer.alloc(100)]);
    assert.equal((await check('Mix.wav', rf64)).result.outcome, 'passed');
    const random = await check('Title.mov', Buffer.from('this is not a movie at all, just some text'.repeat(10)));
    assert.deepEqual(random.codes, ['FILE_TYPE_MISMATCH']);
    assert.match(random.result.issues[0]!.cause, /not a format we recognise/);
  });
});

describe('file-type: text formats', () => {
  const good: Record<string, string> = {
    'Subs.scc': 'Scenarist_SCC V1.0\r\n\r\n00:00:00;00\t9420 9420 94ae 94ae\r\n',
    'Subs.srt': '1\n00:00:01,000 --> 00:00:02,500\nHello\n\n2\n00:00:03,000 --> 00:00:04,000\nWorld\n',
    'Subs.vtt': 'WEBVTT\n\n00:01.000 --> 00:02.500\nHello\n',
    'Subs.ttml': '<?xml version="1.0" encoding="UTF-8"?>\n<!-- captions -->\n<tt xmlns="http://www.w3.org/ns/ttml" xml:lang="en"><body><div><p begin="00:00:01.000" end="00:00:02.000">Hi</p></div></body></tt>',
    'Subs.dfxp': '<tt:tt xmlns:tt="http://www.w3.org/ns/ttml"><tt:body/></tt:tt>',
    'Metadata.xml': '<?xml version="1.0"?><Title id="1"><Name>A &amp; B</Name></Title>',
    'Metadata.json': '{"title": "A", "runtime": 5400}',
    'Avails.csv': 'Title,Territory,Start\n"A, the movie",US,2024-01-01\nB,UK,2024-02-01\n',
    'test.txt': 'hello\n',
  };

  test('well-formed files pass', async () => {
    for (const [key, text] of Object.entries(good)) {
      const { result } = await check(key, Buffer.from(text));
      assert.equal(result.outcome, 'passed', `${key}: ${JSON.stringify(result.issues)}`);
    }
  });

  test('EBU STL: a GSI block with code page and disk format', async () => {
    const gsi = Buffer.alloc(1024, 0x20);
    gsi.write('850STL25.01', 0, 'latin1');
    assert.equal((await check('Subs.stl', gsi)).result.outcome, 'passed');
    const model = await check('Subs.stl', Buffer.from('solid cube\nfacet normal 0 0 1\n'));
    assert.deepEqual(model.codes, ['FILE_TYPE_MISMATCH']);
    assert.match(model.result.issues[0]!.cause, /model\/stl/);
  });

  test('UTF-8 and UTF-16 byte order marks are accepted', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(good['Subs.srt']!, 'utf16le')]);
    assert.equal((await check('Subs.srt', utf16)).result.outcome, 'passed');
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(good['Subs.vtt']!)]);
    assert.equal((await check('Subs.vtt', utf8)).result.outcome, 'passed');
  });

  test('text that is not what its extension says', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['Subs.srt', good['Subs.vtt']!, /first line is not a cue number/],
      ['Subs.srt', '1\nHello there\n', /timing line/],
      ['Subs.scc', '00:00:00;00\t9420\n', /Scenarist_SCC V1\.0/],
      ['Subs.vtt', 'WEBVTTX\n', /does not start with "WEBVTT"/],
      ['Subs.ttml', '<tt><body/></tt>', /does not declare the TTML namespace/],
      ['Subs.ttml', '<?xml version="1.0"?><html/>', /root element is not <tt>/],
      ['Metadata.xml', '<Title><Name>unclosed</Title>', /not well-formed XML/],
      ['Metadata.json', '{"title": "A",}', /not valid JSON/],
      ['Metadata.json', 'title=A', /does not start with "\{"/],
      ['Avails.csv', 'Title,Territory\nA,US,extra\n', /row 2 has 3 columns, the header has 2/],
      ['Avails.csv', 'Title,Territory\n"A,US\n', /quoted field is not closed/],
      ['Avails.csv', 'just one column\n', /at least two/],
    ];
    for (const [key, text, reason] of cases) {
      const { result, codes } = await check(key, Buffer.from(text));
      assert.deepEqual(codes, ['FILE_TYPE_MISMATCH'], key);
      assert.match(result.issues[0]!.cause, reason, `${key}: ${result.issues[0]!.cause}`);
    }
    const binary = await check('Avails.csv', Buffer.from([0x41, 0x2c, 0x42, 0x0a, 0xff, 0xfe, 0x00, 0x01]));
    assert.match(binary.result.issues[0]!.cause, /not valid UTF-8 text/);
    const nul = await check('Subs.srt', Buffer.from('1\n00:00:01,000 --> 00:00:02,000\n\u0000\u0000'));
    assert.match(nul.result.issues[0]!.cause, /NUL bytes/);
  });

  test('large text files are judged by their head only', async () => {
    const body = '<Item>x</Item>'.repeat(200_000); // ~2.8 MB, over the 1 MiB whole-parse limit
    const { result, object } = await check('Metadata.xml', Buffer.from(`<?xml version="1.0"?><Items>${body}`));
    assert.equal(result.outcome, 'passed'); // unclosed root, but only the head is read
    assert.equal(object.reader.bytesServed, defaultFileTypeConfig.headBytes);
    const small = await check('Metadata.xml', Buffer.from(`<?xml version="1.0"?><Items>${'<Item>x</Item>'.repeat(1000)}`));
    assert.deepEqual(small.codes, ['FILE_TYPE_MISMATCH']); // small enough to parse whole: unclosed root found
  });
});

describe('file-type: extensions and empty files', () => {
  test('an empty file is FILE_TYPE_EMPTY; unknown extensions are skipped or failed as configured', async () => {
    assert.deepEqual((await check('Title.mov', Buffer.alloc(0))).codes, ['FILE_TYPE_EMPTY']);
    const unknown = bufferObject('Title.mkv', Buffer.from('x'));
    assert.equal(fileTypeValidator.appliesTo(unknown, defaultFileTypeConfig, contextOf([])), false);
    assert.equal((await check('Title.mkv', Buffer.from('x'))).result.outcome, 'skipped');
    const strict = { ...defaultFileTypeConfig, unknownExtension: 'fail' as const };
    assert.equal(fileTypeValidator.appliesTo(unknown, strict, contextOf([])), true);
    const failed = await check('Title.mkv', Buffer.from('x'), strict);
    assert.deepEqual(failed.codes, ['FILE_TYPE_UNKNOWN_EXTENSION']);
    assert.match(failed.result.issues[0]!.cause, /`\.mkv` is not a format.*\.mov/);
    assert.deepEqual((await check('README', Buffer.from('x'), strict)).codes, ['FILE_TYPE_UNKNOWN_EXTENSION']);
    // Extensions compare case-insensitively.
    assert.equal((await check('Subs.SRT', Buffer.from(good()))).result.outcome, 'passed');
  });
});

function good(): string {
  return '1\n00:00:01,000 --> 00:00:02,000\nHi\n';
}
