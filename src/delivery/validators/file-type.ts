// Does the content match the extension? Binary formats by their signature (file-type on a bounded head),
// text formats (captions, subtitles, metadata) by small sniffers.
import { fileTypeFromBuffer } from 'file-type';
import { issue } from './error-catalogue.js';
import { textSniffers, type TextFormat } from './text-sniffers.js';
import { MeteredReader, extensionOf, startResult, validatorLimits, type Validator, type ValidatorResult } from './validator.js';

/** What an extension must contain: one of file-type's extensions, or a text format checked by a sniffer. */
export type FormatRule = { label: string; detect: string[] } | { label: string; text: TextFormat };

export interface FileTypeConfig {
  /** Accepted formats by lower-case extension. Default: `defaultFormats`. */
  formats: Record<string, FormatRule>;
  /** Extensions not in `formats`: 'skip' (not checked) or 'fail' (FILE_TYPE_UNKNOWN_EXTENSION). Default 'skip'. */
  unknownExtension: 'skip' | 'fail';
  /** Bytes read from the start for signature detection. Default 64 KiB. */
  headBytes: number;
  /** Text files up to this size are read and parsed whole (XML well-formedness, JSON); larger ones by their head. Default 1 MiB. */
  textParseBytesMax: number;
}

export const defaultFormats: Record<string, FormatRule> = {
  mov: { label: 'QuickTime movie', detect: ['mov'] },
  mp4: { label: 'MPEG-4 video', detect: ['mp4', 'm4v'] },
  mxf: { label: 'MXF', detect: ['mxf'] },
  wav: { label: 'WAVE audio', detect: ['wav'] },
  jpg: { label: 'JPEG image', detect: ['jpg'] },
  jpeg: { label: 'JPEG image', detect: ['jpg'] },
  png: { label: 'PNG image', detect: ['png'] },
  tif: { label: 'TIFF image', detect: ['tif'] },
  tiff: { label: 'TIFF image', detect: ['tif'] },
  scc: { label: 'Scenarist SCC captions', text: 'scc' },
  srt: { label: 'SubRip subtitles', text: 'srt' },
  vtt: { label: 'WebVTT subtitles', text: 'vtt' },
  ttml: { label: 'TTML subtitles', text: 'ttml' },
  dfxp: { label: 'TTML (DFXP) subtitles', text: 'ttml' },
  stl: { label: 'EBU STL subtitles', text: 'stl' },
  xml: { label: 'XML', text: 'xml' },
  json: { label: 'JSON', text: 'json' },
  csv: { label: 'CSV', text: 'csv' },
  txt: { label: 'text', text: 'text' },
  md5: { label: 'MD5 checksum sidecar', text: 'text' },
  sha256: { label: 'SHA-256 checksum sidecar', text: 'text' },
};

export const defaultFileTypeConfig: FileTypeConfig = {
  formats: defaultFormats,
  unknownExtension: 'skip',
  headBytes: 64 * 1024,
  textParseBytesMax: 1024 * 1024,
};

/** file-type results that a text format may legitimately produce (it recognises `<?xml` and WEBVTT). */
const textDetections = new Set(['xml', 'vtt']);

/**
 * Signatures file-type misses or cannot finish from a head: TIFF whose first IFD lies past the head (it
 * seeks there), RF64/BW64 (WAVE over 4 GiB, common for long masters), classic QuickTime without `ftyp`.
 */
function fallbackDetection(head: Buffer): { ext: string; mime: string } | undefined {
  const ascii = (start: number, end: number): string => head.subarray(start, end).toString('latin1');
  if (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*') return { ext: 'tif', mime: 'image/tiff' };
  if ((ascii(0, 4) === 'RF64' || ascii(0, 4) === 'BW64') && ascii(8, 12) === 'WAVE') return { ext: 'wav', mime: 'audio/wav' };
  if (['moov', 'wide', 'mdat', 'free', 'pnot'].includes(ascii(4, 8))) return { ext: 'mov', mime: 'video/quicktime' };
  return undefined;
}

/** What the bytes are, by signature: file-type first, then our fallbacks. */
export async function detectSignature(head: Buffer): Promise<{ ext: string; mime: string } | undefined> {
  let detected: { ext: string; mime: string } | undefined;
  try {
    detected = await fileTypeFromBuffer(head);
  } catch {
    // A detector followed an offset past the head (EndOfStreamError): the head alone is not conclusive.
    detected = undefined;
  }
  return detected ?? fallbackDetection(head);
}

export const fileTypeValidator: Validator<FileTypeConfig> = {
  name: 'file-type',

  appliesTo(object, config): boolean {
    return config.formats[extensionOf(object.key)] !== undefined || config.unknownExtension === 'fail';
  },

  async validate(object, config, _context, signal): Promise<ValidatorResult> {
    const result = startResult(this.name);
    const extension = extensionOf(object.key);
    const rule = config.formats[extension];
    if (!rule) {
      if (config.unknownExtension === 'skip') return result.done('skipped', [], { reason: `no rule for .${extension}` });
      const accepted = Object.keys(config.formats).map((e) => `.${e}`).join(' ');
      return result.done('failed', [issue('FILE_TYPE_UNKNOWN_EXTENSION', { extension: extension || '(none)', accepted })]);
    }
    if (object.sizeBytes === 0) return result.done('failed', [issue('FILE_TYPE_EMPTY', { key: object.key })], { expected: rule.label });

    const reader = new MeteredReader(object.reader, signal);
    const wholeTextMax = Math.min(config.textParseBytesMax, validatorLimits.readChunkBytesMax);
    const readWhole = 'text' in rule && object.sizeBytes <= wholeTextMax;
    const head = await reader.head(readWhole ? object.sizeBytes : Math.min(config.headBytes, validatorLimits.readChunkBytesMax));
    const complete = head.length === object.sizeBytes;
    const signature = await detectSignature(head);

    let problem: string | undefined;
    if ('detect' in rule) {
      if (!signature) problem = 'not a format we recognise';
      else if (!rule.detect.includes(signature.ext)) problem = `${signature.mime} (.${signature.ext})`;
    } else {
      // The sniffer decides (file-type misreads some text, e.g. a UTF-16 BOM as MPEG audio); when it
      // rejects the bytes, a binary signature says best what they are instead.
      const reason = textSniffers[rule.text](head, complete);
      if (reason !== undefined) {
        problem = signature && !textDetections.has(signature.ext) ? `${signature.mime} (.${signature.ext})` : `not ${rule.label}: ${reason}`;
      }
    }
    const details = { expected: rule.label, detected: signature ?? null, bytesRead: reader.bytesRead };
    if (problem === undefined) return result.done('passed', [], details);
    return result.done('failed', [issue('FILE_TYPE_MISMATCH', { key: object.key, extension, expected: rule.label, detected: problem })], details);
  },
};
