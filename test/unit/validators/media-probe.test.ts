// Media probe: summaries of real ffmpeg fixtures, how few bytes it reads, truncated and disguised files,
// partner expectations, one MediaInfo instance shared by concurrent probes, aborts and reader errors.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { MediaProbeValidator, defaultMediaProbeConfig, type MediaProbeConfig } from '../../../src/delivery/validators/media-probe.js';
import type { MediaSummary } from '../../../src/delivery/validators/media-summary.js';
import type { ValidatorResult } from '../../../src/delivery/validators/validator.js';
import { largeMediaFixtures, mediaFixtures, type MediaFiles } from '../../fixtures/media.js';
import { bufferObject, contextOf, fileObject, never } from './objects.js';

const media = await mediaFixtures();
const skip = typeof media === 'string' ? media : false;
const files = media as MediaFiles;

const summaryOf = (result: ValidatorResult): MediaSummary => result.details?.['summary'] as MediaSummary;

describe('media probe', { skip }, () => {
  let probe: MediaProbeValidator;
  before(async () => {
    probe = await MediaProbeValidator.create();
  });
  after(() => probe.close());

  async function run(key: string, path: string, config: MediaProbeConfig = defaultMediaProbeConfig) {
    const object = await fileObject(key, path);
    const result = await probe.validate(object, config, contextOf([]), never());
    return { result, object, summary: summaryOf(result), codes: result.issues.map((i) => i.code) };
  }

  test('MP4: H.264 320x240 25 fps progressive with AAC stereo 48 kHz, 2 s', async () => {
    const { result, summary, object } = await run('Title.mp4', files.mp4);
    assert.equal(result.outcome, 'passed', JSON.stringify(result.issues));
    assert.equal(summary.container, 'MPEG-4');
    assert.ok(Math.abs(summary.durationSeconds! - 2) < 0.1, String(summary.durationSeconds));
    assert.ok(summary.overallBitRate! > 0);
    assert.equal(summary.truncated, false);
    assert.deepEqual([summary.video.length, summary.audio.length], [1, 1]);
    const [v] = summary.video;
    assert.deepEqual([v!.codec, v!.width, v!.height, v!.frameRate, v!.scanType, v!.bitDepth], ['AVC', 320, 240, 25, 'Progressive', 8]);
    const [a] = summary.audio;
    assert.deepEqual([a!.codec, a!.channels, a!.sampleRate], ['AAC', 2, 48000]);
    assert.equal(result.details?.['bytesRead'], object.reader.bytesServed);
  });

  test('MOV: ProRes (or H.264) with PCM 24-bit stereo', async () => {
    const { result, summary } = await run('Title.mov', files.mov);
    assert.equal(result.outcome, 'passed');
    assert.equal(summary.container, 'MPEG-4'); // MediaInfo's name for the QuickTime/ISO BMFF family
    assert.deepEqual([summary.video[0]!.codec, summary.video[0]!.width, summary.video[0]!.height, summary.video[0]!.frameRate], [files.movVideoCodec, 320, 240, 25]);
    assert.deepEqual([summary.audio[0]!.codec, summary.audio[0]!.channels, summary.audio[0]!.sampleRate, summary.audio[0]!.bitDepth], ['PCM', 2, 48000, 24]);
  });

  test('MXF: MPEG-2 video with PCM 24-bit', { skip: files.mxf ? false : 'ffmpeg cannot write MXF here' }, async () => {
    const { result, summary } = await run('Title.mxf', files.mxf!);
    assert.equal(result.outcome, 'passed');
    assert.equal(summary.container, 'MXF');
    assert.deepEqual([summary.video[0]!.codec, summary.video[0]!.width, summary.video[0]!.frameRate], ['MPEG Video', 320, 25]);
    assert.deepEqual([summary.audio[0]!.codec, summary.audio[0]!.sampleRate, summary.audio[0]!.bitDepth], ['PCM', 48000, 24]);
  });

  test('WAV: 48 kHz stereo 24-bit PCM, 2 s', async () => {
    const { result, summary } = await run('Mix.wav', files.wav);
    assert.equal(result.outcome, 'passed');
    assert.equal(summary.container, 'Wave');
    assert.ok(Math.abs(summary.durationSeconds! - 2) < 0.01);
    assert.deepEqual(summary.audio, [{ codec: 'PCM', channels: 2, sampleRate: 48000, bitDepth: 24, bitRate: 2_304_000 }]);
  });

  test('images: PNG, JPEG and TIFF at 320x240', async () => {
    for (const [key, path, format] of [['Art.png', files.png, 'PNG'], ['Art.jpg', files.jpg, 'JPEG'], ['Art.tif', files.tif, 'TIFF']] as const) {
      const { result, summary } = await run(key, path);
      assert.equal(result.outcome, 'passed', key);
      assert.equal(summary.container, format);
      assert.deepEqual([summary.images[0]!.width, summary.images[0]!.height], [320, 240], key);
    }
  });

  test('a truncated MP4 and a truncated WAV are MEDIA_TRUNCATED', async () => {
    const mp4 = (await readFile(files.mp4)).subarray(0, 20_000);
    const cut = await probe.validate(bufferObject('Title.mp4', mp4), defaultMediaProbeConfig, contextOf([]), never());
    assert.equal(cut.outcome, 'failed');
    assert.deepEqual(cut.issues.map((i) => i.code), ['MEDIA_TRUNCATED']);
    assert.match(cut.issues[0]!.cause, /File size is less than expected size|Element size/);
    const wav = (await readFile(files.wav)).subarray(0, 300_000);
    const cutWav = await probe.validate(bufferObject('Mix.wav', wav), defaultMediaProbeConfig, contextOf([]), never());
    assert.deepEqual(cutWav.issues.map((i) => i.code), ['MEDIA_TRUNCATED']);
  });

  test('disguised and broken files: a PNG named .mov, random bytes, audio-only .mov', async () => {
    const png = await run('Title.mov', files.png);
    assert.deepEqual(png.codes, ['MEDIA_UNREADABLE']);
    assert.match(png.result.issues[0]!.cause, /could not be read as video: found PNG without video or audio tracks/);
    const junk = await probe.validate(bufferObject('Title.mov', Buffer.from('not a movie '.repeat(100))), defaultMediaProbeConfig, contextOf([]), never());
    assert.deepEqual(junk.issues.map((i) => i.code), ['MEDIA_UNREADABLE']);
    assert.match(junk.issues[0]!.cause, /no known media format/);
    const audioOnly = await run('Title.mov', files.wav);
    assert.deepEqual(audioOnly.codes, ['MEDIA_SPEC_NO_VIDEO']);
    const notAudio = await run('Mix.wav', files.png);
    assert.deepEqual(notAudio.codes, ['MEDIA_UNREADABLE']);
  });

  test('partner expectations produce MEDIA_SPEC_* issues with the actual and accepted values', async () => {
    const strict: MediaProbeConfig = {
      ...defaultMediaProbeConfig,
      minWidth: 1920, minHeight: 1080, videoCodecs: ['ProRes', 'JPEG 2000'], frameRates: [23.976, 24], scanTypes: ['Progressive'],
      audioCodecs: ['PCM'], sampleRates: [48000], bitDepths: [24], minChannels: 6, minDurationSeconds: 60,
    };
    const { result } = await run('Title.mp4', files.mp4, strict);
    assert.equal(result.outcome, 'failed');
    const byCode = new Map(result.issues.map((i) => [i.code, i.cause]));
    assert.deepEqual([...byCode.keys()].sort(), [
      'MEDIA_SPEC_AUDIO_CODEC', 'MEDIA_SPEC_BIT_DEPTH', 'MEDIA_SPEC_CHANNELS', 'MEDIA_SPEC_DURATION', 'MEDIA_SPEC_FRAME_RATE', 'MEDIA_SPEC_RESOLUTION', 'MEDIA_SPEC_VIDEO_CODEC',
    ]);
    assert.equal(byCode.get('MEDIA_SPEC_RESOLUTION'), 'The video is 320x240; at least 1920x1080 is required.');
    assert.equal(byCode.get('MEDIA_SPEC_FRAME_RATE'), 'The frame rate is 25 fps; accepted: 23.976, 24.');
    assert.equal(byCode.get('MEDIA_SPEC_VIDEO_CODEC'), 'The video codec is AVC; accepted: ProRes, JPEG 2000.');
    assert.equal(byCode.get('MEDIA_SPEC_CHANNELS'), 'Audio track 1 has 2 channel(s); at least 6 are required.');

    const matching: MediaProbeConfig = {
      ...defaultMediaProbeConfig, minWidth: 320, minHeight: 240, videoCodecs: ['prores', 'avc'], frameRates: [25], audioCodecs: ['PCM'],
      sampleRates: [48000], bitDepths: [24], minChannels: 2, minDurationSeconds: 1, maxDurationSeconds: 3, requireAudio: true,
    };
    assert.equal((await run('Title.mov', files.mov, matching)).result.outcome, 'passed');
    const art = await run('Art.png', files.png, { ...defaultMediaProbeConfig, minImageWidth: 1920, minImageHeight: 1080 });
    assert.deepEqual(art.codes, ['MEDIA_SPEC_RESOLUTION']);
    assert.match(art.result.issues[0]!.cause, /The image is 320x240/);
  });

  test('applies to media extensions only', () => {
    const applies = (key: string): boolean => probe.appliesTo(bufferObject(key, Buffer.from('x')), defaultMediaProbeConfig);
    assert.deepEqual(['a.mov', 'a.MXF', 'a.wav', 'a.tiff', 'a.srt', 'a.xml', 'a.mov.md5'].map(applies), [true, true, true, true, false, false, false]);
  });

  test('concurrent probes share the one MediaInfo instance (they queue) and all get their own answer', async () => {
    const paths = [files.mp4, files.wav, files.png, files.mov, files.mp4, files.jpg];
    const results = await Promise.all(paths.map(async (path, i) => probe.validate(await fileObject(`f${i}.${path.split('.').pop()}`, path), defaultMediaProbeConfig, contextOf([]), never())));
    assert.deepEqual(results.map((r) => summaryOf(r).container), ['MPEG-4', 'Wave', 'PNG', 'MPEG-4', 'MPEG-4', 'JPEG']);
  });

  test('an abort rejects the probe and a reader error is rethrown; the instance keeps working', async () => {
    const object = await fileObject('Title.mov', files.mov);
    const controller = new AbortController();
    const read = object.reader.read.bind(object.reader);
    object.reader.read = async (start, end, signal) => {
      const bytes = await read(start, end, signal);
      controller.abort(new Error('validator timeout'));
      return bytes;
    };
    await assert.rejects(probe.validate(object, defaultMediaProbeConfig, contextOf([]), controller.signal), /validator timeout/);
    assert.equal(object.reader.reads.length, 1);

    const failing = await fileObject('Title.mov', files.mov);
    failing.reader.read = async () => {
      throw new Error('blob store unavailable');
    };
    await assert.rejects(probe.validate(failing, defaultMediaProbeConfig, contextOf([]), never()), /blob store unavailable/);
    assert.equal((await run('Title.mp4', files.mp4)).result.outcome, 'passed');
  });

  test('a closed probe refuses work', async () => {
    const own = await MediaProbeValidator.create();
    own.close();
    await assert.rejects(own.validate(await fileObject('Title.mp4', files.mp4), defaultMediaProbeConfig, contextOf([]), never()), /closed/);
  });
});

describe('media probe: bytes read of large files', { skip }, () => {
  let probe: MediaProbeValidator;
  before(async () => {
    probe = await MediaProbeValidator.create();
  });
  after(() => probe.close());

  test('a 30 s ProRes .mov with its moov at the end: a small fraction of the file', async (t) => {
    const large = await largeMediaFixtures();
    if (typeof large === 'string') return t.skip(large);
    const object = await fileObject('Title.mov', large.mov);
    const result = await probe.validate(object, defaultMediaProbeConfig, contextOf([]), never());
    assert.equal(result.outcome, 'passed');
    assert.ok(Math.abs(summaryOf(result).durationSeconds! - 30) < 0.1);
    const read = object.reader.bytesServed;
    t.diagnostic(`mov: read ${read} of ${object.sizeBytes} bytes (${((100 * read) / object.sizeBytes).toFixed(1)} %) in ${object.reader.reads.length} reads`);
    assert.equal(result.details?.['bytesRead'], read);
    assert.equal(result.details?.['budgetReached'], false);
    assert.ok(object.sizeBytes > 10_000_000);
    assert.ok(read < object.sizeBytes / 10, `read ${read} of ${object.sizeBytes}`);
    // It jumped to the moov at the end rather than reading through the essence.
    assert.ok(object.reader.reads.some(([start]) => start > object.sizeBytes / 2));
  });

  test('a 60 s WAV: MediaInfo would read it all; the budget stops it with the same summary', async (t) => {
    const large = await largeMediaFixtures();
    if (typeof large === 'string') return t.skip(large);
    const budget = 1024 * 1024;
    const object = await fileObject('Mix.wav', large.wav);
    const result = await probe.validate(object, { ...defaultMediaProbeConfig, probeBytesMax: budget }, contextOf([]), never());
    const read = object.reader.bytesServed;
    t.diagnostic(`wav: read ${read} of ${object.sizeBytes} bytes (${((100 * read) / object.sizeBytes).toFixed(1)} %) with probeBytesMax ${budget}`);
    assert.equal(result.outcome, 'passed', JSON.stringify(result.issues));
    assert.ok(read <= budget);
    assert.equal(result.details?.['budgetReached'], true);
    const summary = summaryOf(result);
    assert.equal(summary.truncated, false);
    assert.ok(Math.abs(summary.durationSeconds! - 60) < 0.01);
    assert.deepEqual(summary.audio[0], { codec: 'PCM', channels: 2, sampleRate: 48000, bitDepth: 24, bitRate: 2_304_000 });

    const unbounded = await fileObject('Mix.wav', large.wav);
    await probe.validate(unbounded, { ...defaultMediaProbeConfig, probeBytesMax: 64 * 1024 * 1024 }, contextOf([]), never());
    t.diagnostic(`wav without a useful budget: read ${unbounded.reader.bytesServed} of ${unbounded.sizeBytes} bytes`);
    assert.ok(unbounded.reader.bytesServed > object.sizeBytes / 2);
  });
});
