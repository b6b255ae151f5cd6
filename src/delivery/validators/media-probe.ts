// Media probe: MediaInfo (WASM, mediainfo.js) reads only the byte ranges it asks for through the ObjectReader,
// within a byte budget, and returns a technical summary checked against the partner's expectations.
import mediaInfoFactory, { type MediaInfo } from 'mediainfo.js';
import { issue } from './error-catalogue.js';
import { expectationIssues, summarise, type MediaExpectations, type MediaSummary } from './media-summary.js';
import {
  MeteredReader, extensionOf, startResult, validatorLimits,
  type DeliveredObject, type ValidationIssue, type Validator, type ValidatorResult,
} from './validator.js';

export interface MediaProbeConfig extends MediaExpectations {
  videoExtensions: string[];
  audioExtensions: string[];
  imageExtensions: string[];
  /**
   * Most bytes one probe reads. MediaInfo seeks to the structures it needs (an MP4/MOV `moov` at the
   * end, MXF partitions) but reads PCM and some essence linearly to the end; at the budget it stops and
   * reports what it found. Default 16 MiB: room for the `moov` of a multi-hour feature.
   */
  probeBytesMax: number;
}

export const defaultMediaProbeConfig: MediaProbeConfig = {
  videoExtensions: ['mov', 'mp4', 'mxf'],
  audioExtensions: ['wav'],
  imageExtensions: ['png', 'jpg', 'jpeg', 'tif', 'tiff'],
  probeBytesMax: 16 * 1024 * 1024,
};

export interface ProbeOutcome {
  /** Undefined when MediaInfo failed outright (`error` says why). */
  summary?: MediaSummary;
  error?: string;
  bytesRead: number;
  /** The probe stopped at probeBytesMax before MediaInfo was done. */
  budgetReached: boolean;
}

type Kind = 'video' | 'audio' | 'image';

function kindOf(key: string, config: MediaProbeConfig): Kind | undefined {
  const extension = extensionOf(key);
  if (config.videoExtensions.includes(extension)) return 'video';
  if (config.audioExtensions.includes(extension)) return 'audio';
  if (config.imageExtensions.includes(extension)) return 'image';
  return undefined;
}

/**
 * One MediaInfo instance per validator (loading the WASM module is expensive); MediaInfo analyses one
 * file at a time, so probes queue. Create with `MediaProbeValidator.create()`, `close()` on shutdown.
 */
export class MediaProbeValidator implements Validator<MediaProbeConfig> {
  readonly name = 'media-probe';
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(private readonly mediaInfo: MediaInfo<'object'>) {}

  /** `chunkBytes`: how much MediaInfo asks for per read (smaller wastes less past what it needs). */
  static async create(options: { chunkBytes?: number } = {}): Promise<MediaProbeValidator> {
    const chunkSize = Math.min(options.chunkBytes ?? 64 * 1024, validatorLimits.readChunkBytesMax);
    return new MediaProbeValidator(await mediaInfoFactory({ format: 'object', chunkSize, full: false }));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Close once the probe in flight (if any) is done with the instance.
    void this.queue.then(() => this.mediaInfo.close());
  }

  appliesTo(object: DeliveredObject, config: MediaProbeConfig): boolean {
    return kindOf(object.key, config) !== undefined;
  }

  async validate(object: DeliveredObject, config: MediaProbeConfig, _context: unknown, signal: AbortSignal): Promise<ValidatorResult> {
    const result = startResult(this.name);
    const kind = kindOf(object.key, config);
    if (!kind) return result.done('skipped', [], { reason: `.${extensionOf(object.key)} is not a media extension` });
    const probe = await this.probe(object, config, signal);
    const details = { sizeBytes: object.sizeBytes, bytesRead: probe.bytesRead, budgetReached: probe.budgetReached, summary: probe.summary ?? null };
    const unreadable = probe.summary ? unreadableIssue(object.key, probe.summary, kind) : issue('MEDIA_UNREADABLE', { key: object.key, expected: kind, reason: probe.error ?? 'MediaInfo failed' });
    if (unreadable) return result.done('failed', [unreadable], details);
    const issues = expectationIssues(object.key, probe.summary!, kind, config);
    return result.done(issues.length > 0 ? 'failed' : 'passed', issues, details);
  }

  /** Runs MediaInfo over the object within `config.probeBytesMax`; throws only for reader errors and aborts. */
  async probe(object: DeliveredObject, config: Pick<MediaProbeConfig, 'probeBytesMax'>, signal: AbortSignal): Promise<ProbeOutcome> {
    return this.exclusive(signal, async () => {
      const reader = new MeteredReader(object.reader, signal);
      let budgetReached = false;
      let readerError: unknown;
      const readChunk = async (size: number, offset: number): Promise<Uint8Array> => {
        const left = config.probeBytesMax - reader.bytesRead;
        if (left <= 0 || offset >= object.sizeBytes) {
          budgetReached ||= left <= 0;
          return new Uint8Array(0); // an empty chunk makes MediaInfo finish with what it has
        }
        try {
          return await reader.read(offset, offset + Math.min(size, left));
        } catch (error) {
          readerError = error;
          throw error;
        }
      };
      try {
        const info = await this.mediaInfo.analyzeData(object.sizeBytes, readChunk);
        return { summary: summarise(info), bytesRead: reader.bytesRead, budgetReached };
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        if (readerError !== undefined) throw readerError;
        return { error: `MediaInfo failed: ${(error as Error).message}`, bytesRead: reader.bytesRead, budgetReached };
      }
    });
  }

  /** Runs fn after the probes queued before it; a caller whose signal aborts while waiting leaves at once. */
  private exclusive<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('media probe is closed'));
    signal.throwIfAborted();
    const run = this.queue.then(() => {
      signal.throwIfAborted();
      return fn();
    });
    this.queue = run.then(() => undefined, () => undefined);
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      run.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }
}

/** MEDIA_TRUNCATED / MEDIA_UNREADABLE / MEDIA_SPEC_NO_VIDEO when the file is not the media its extension says. */
function unreadableIssue(key: string, summary: MediaSummary, kind: Kind): ValidationIssue | undefined {
  if (summary.truncated) return issue('MEDIA_TRUNCATED', { key, reason: summary.truncation ?? 'the file ends before its structure does' });
  const found = summary.container ? `${summary.container}` : 'no known media format';
  if (kind === 'image') {
    return summary.images.length > 0 ? undefined : issue('MEDIA_UNREADABLE', { key, expected: 'an image', reason: `found ${found} without an image` });
  }
  if (kind === 'audio') {
    return summary.audio.length > 0 ? undefined : issue('MEDIA_UNREADABLE', { key, expected: 'audio', reason: `found ${found} without an audio track` });
  }
  if (summary.video.length > 0) return undefined;
  if (summary.audio.length > 0) return issue('MEDIA_SPEC_NO_VIDEO', { key, found: `${found} with ${summary.audio.length} audio track(s)` });
  return issue('MEDIA_UNREADABLE', { key, expected: 'video', reason: `found ${found} without video or audio tracks` });
}
