// A media file's technical summary from a MediaInfo result, and the per-partner expectations checked on it.
import type { MediaInfoResult } from 'mediainfo.js';
import { issue } from './error-catalogue.js';
import type { ValidationIssue } from './validator.js';

export interface VideoSummary {
  codec?: string;
  profile?: string;
  width?: number;
  height?: number;
  frameRate?: number;
  scanType?: string;
  bitDepth?: number;
  bitRate?: number;
}

export interface AudioSummary {
  codec?: string;
  channels?: number;
  sampleRate?: number;
  bitDepth?: number;
  bitRate?: number;
}

export interface ImageSummary {
  codec?: string;
  width?: number;
  height?: number;
  bitDepth?: number;
}

export interface MediaSummary {
  /** The container or file format as MediaInfo names it (`MPEG-4`, `MXF`, `Wave`, `PNG`…). */
  container?: string;
  durationSeconds?: number;
  /** Bits per second over the whole file. */
  overallBitRate?: number;
  /** The file is shorter than its own structure declares (MediaInfo's IsTruncated), with its first complaint. */
  truncated: boolean;
  truncation?: string;
  video: VideoSummary[];
  audio: AudioSummary[];
  images: ImageSummary[];
  textTrackCount: number;
}

/** Expectations on what a file contains; every field is optional and unset fields are not checked. */
export interface MediaExpectations {
  minWidth?: number | undefined;
  minHeight?: number | undefined;
  /** MediaInfo format names, compared case-insensitively: `ProRes`, `AVC`, `HEVC`, `JPEG 2000`, `MPEG Video`… */
  videoCodecs?: string[] | undefined;
  /** Frames per second; 23.976 matches 24000/1001 (a tolerance of 0.01). */
  frameRates?: number[] | undefined;
  /** `Progressive`, `Interlaced`, `MBAFF`… */
  scanTypes?: string[] | undefined;
  /** For every audio track (in video files and .wav): `PCM`, `AAC`, `AC-3`, `E-AC-3`… */
  audioCodecs?: string[] | undefined;
  sampleRates?: number[] | undefined;
  bitDepths?: number[] | undefined;
  minChannels?: number | undefined;
  minDurationSeconds?: number | undefined;
  maxDurationSeconds?: number | undefined;
  /** A video file without an audio track fails with MEDIA_SPEC_NO_AUDIO. */
  requireAudio?: boolean | undefined;
  /** For images (artwork). */
  minImageWidth?: number | undefined;
  minImageHeight?: number | undefined;
}

type Fields = Record<string, unknown>;

const num = (t: Fields, name: string): number | undefined => {
  const value = t[name];
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
};
const str = (t: Fields, name: string): string | undefined => (typeof t[name] === 'string' && t[name] !== '' ? (t[name] as string) : undefined);

/** Drops undefined fields so summaries stay small in delivery records. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function firstConformanceError(extra: unknown): string | undefined {
  const match = /"GeneralCompliance":"([^"]+)"/.exec(JSON.stringify(extra ?? {}));
  return match?.[1];
}

export function summarise(result: MediaInfoResult): MediaSummary {
  const tracks = (result.media?.track ?? []) as unknown as Fields[];
  const general = tracks.find((t) => t['@type'] === 'General') ?? {};
  const extra = (general['extra'] ?? {}) as Fields;
  const truncation = extra['IsTruncated'] === 'Yes' ? firstConformanceError(extra) : undefined;
  const of = (type: string): Fields[] => tracks.filter((t) => t['@type'] === type);
  return compact({
    container: str(general, 'Format'),
    durationSeconds: num(general, 'Duration'),
    overallBitRate: num(general, 'OverallBitRate'),
    truncated: extra['IsTruncated'] === 'Yes',
    truncation,
    video: of('Video').map((t) => compact({
      codec: str(t, 'Format'), profile: str(t, 'Format_Profile'), width: num(t, 'Width'), height: num(t, 'Height'),
      frameRate: num(t, 'FrameRate'), scanType: str(t, 'ScanType'), bitDepth: num(t, 'BitDepth'), bitRate: num(t, 'BitRate'),
    })),
    audio: of('Audio').map((t) => compact({
      codec: str(t, 'Format'), channels: num(t, 'Channels'), sampleRate: num(t, 'SamplingRate'), bitDepth: num(t, 'BitDepth'), bitRate: num(t, 'BitRate'),
    })),
    images: of('Image').map((t) => compact({ codec: str(t, 'Format'), width: num(t, 'Width'), height: num(t, 'Height'), bitDepth: num(t, 'BitDepth') })),
    textTrackCount: of('Text').length,
  });
}

const listed = (values: Array<string | number>): string => values.join(', ');
const sameName = (a: string | undefined, accepted: string[]): boolean => a !== undefined && accepted.some((b) => b.toLowerCase() === a.toLowerCase());

/** MEDIA_SPEC_* issues of a readable file against the expectations; `kind` is what its extension promises. */
export function expectationIssues(key: string, summary: MediaSummary, kind: 'video' | 'audio' | 'image', e: MediaExpectations): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (kind === 'image') {
    for (const image of summary.images) {
      const { width = 0, height = 0 } = image;
      if (width < (e.minImageWidth ?? 0) || height < (e.minImageHeight ?? 0)) {
        issues.push(issue('MEDIA_SPEC_RESOLUTION', { track: 'image', width, height, minWidth: e.minImageWidth ?? 0, minHeight: e.minImageHeight ?? 0 }));
      }
    }
    return issues;
  }
  for (const video of summary.video) {
    const { width = 0, height = 0 } = video;
    if (width < (e.minWidth ?? 0) || height < (e.minHeight ?? 0)) {
      issues.push(issue('MEDIA_SPEC_RESOLUTION', { track: 'video', width, height, minWidth: e.minWidth ?? 0, minHeight: e.minHeight ?? 0 }));
    }
    if (e.videoCodecs && !sameName(video.codec, e.videoCodecs)) {
      issues.push(issue('MEDIA_SPEC_VIDEO_CODEC', { actual: video.codec ?? 'unknown', accepted: listed(e.videoCodecs) }));
    }
    if (e.frameRates && !e.frameRates.some((r) => video.frameRate !== undefined && Math.abs(r - video.frameRate) <= 0.01)) {
      issues.push(issue('MEDIA_SPEC_FRAME_RATE', { actual: video.frameRate ?? 'unknown', accepted: listed(e.frameRates) }));
    }
    if (e.scanTypes && !sameName(video.scanType, e.scanTypes)) {
      issues.push(issue('MEDIA_SPEC_SCAN_TYPE', { actual: video.scanType ?? 'unknown', accepted: listed(e.scanTypes) }));
    }
  }
  if (kind === 'video' && e.requireAudio && summary.audio.length === 0) issues.push(issue('MEDIA_SPEC_NO_AUDIO', { key }));
  summary.audio.forEach((audio, index) => {
    const track = index + 1;
    if (e.audioCodecs && !sameName(audio.codec, e.audioCodecs)) {
      issues.push(issue('MEDIA_SPEC_AUDIO_CODEC', { track, actual: audio.codec ?? 'unknown', accepted: listed(e.audioCodecs) }));
    }
    if (e.sampleRates && !e.sampleRates.includes(audio.sampleRate ?? NaN)) {
      issues.push(issue('MEDIA_SPEC_SAMPLE_RATE', { track, actual: audio.sampleRate ?? 'unknown', accepted: listed(e.sampleRates) }));
    }
    if (e.bitDepths && !e.bitDepths.includes(audio.bitDepth ?? NaN)) {
      issues.push(issue('MEDIA_SPEC_BIT_DEPTH', { track, actual: audio.bitDepth ?? 'unknown', accepted: listed(e.bitDepths) }));
    }
    if (e.minChannels !== undefined && (audio.channels ?? 0) < e.minChannels) {
      issues.push(issue('MEDIA_SPEC_CHANNELS', { track, actual: audio.channels ?? 0, minChannels: e.minChannels }));
    }
  });
  const duration = summary.durationSeconds;
  const min = e.minDurationSeconds ?? 0;
  const max = e.maxDurationSeconds ?? Infinity;
  if ((e.minDurationSeconds !== undefined || e.maxDurationSeconds !== undefined) && (duration === undefined || duration < min || duration > max)) {
    issues.push(issue('MEDIA_SPEC_DURATION', { key, actual: duration ?? 'unknown', min, max: max === Infinity ? 'no limit' : max }));
  }
  return issues;
}
