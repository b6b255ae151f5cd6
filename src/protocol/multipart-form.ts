// multipart/form-data for POST Object: the fields before the file read whole (bounded), the file streamed.
// https://www.rfc-editor.org/rfc/rfc7578 (form-data), https://www.rfc-editor.org/rfc/rfc2046#section-5.1 (boundaries)
import { S3Error } from '../core/errors.js';

export interface FormField {
  /** As sent; S3 compares field names without regard to case. */
  name: string;
  value: string;
}

export interface FormFile {
  name: string;
  /** The part's filename parameter, when it had one (the client's name for the file). */
  filename?: string;
  contentType?: string;
  /**
   * The file's bytes, streamed. Iterating it to the end also reads and discards what follows the file
   * (S3 ignores fields after it), so the request is fully consumed; it throws on a body that ends
   * without the closing boundary.
   */
  content: AsyncIterable<Buffer>;
}

export interface ParsedForm {
  /** The fields before the file, in order. */
  fields: FormField[];
  /** Absent when the form ended without a part named `fileFieldName`. */
  file?: FormFile;
}

export interface FormLimits {
  /** Preamble, boundaries, part headers and field values before the file content. */
  fieldsBytesMax: number;
  /** Bytes after the file's closing delimiter that are read and discarded. */
  trailerBytesMax: number;
  /** Lower-case name of the file part (S3: `file`). */
  fileFieldName: string;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);

/**
 * The boundary of a `multipart/form-data` Content-Type, or undefined when the type is something else.
 * A multipart/form-data type without a usable boundary is MalformedPOSTRequest.
 */
export function formBoundary(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const [type, ...params] = splitParameters(contentType);
  if (type?.toLowerCase() !== 'multipart/form-data') return undefined;
  const boundary = parameterValue(params, 'boundary');
  // RFC 2046: 1 to 70 characters, not ending in a space.
  if (boundary === undefined || boundary.length < 1 || boundary.length > 70 || /[\r\n]/.test(boundary) || boundary.endsWith(' ')) {
    throw malformed('The multipart/form-data Content-Type has no valid boundary.');
  }
  return boundary;
}

/** Reads the fields up to the file part; the file's content is then streamed by the caller. */
export async function readFormUntilFile(source: AsyncIterable<Buffer>, boundary: string, limits: FormLimits): Promise<ParsedForm> {
  return new FormReader(source, boundary, limits).readFields();
}

class FormReader {
  private readonly iterator: AsyncIterator<Buffer>;
  /** `\r\n--boundary`: what ends every part. */
  private readonly delimiter: Buffer;
  /** Unparsed bytes already read. A CRLF is put in front so the first boundary needs no special case. */
  private buffer: Buffer = CRLF;
  /** Bytes of the field area consumed so far (for fieldsBytesMax). */
  private fieldBytes = -CRLF.length;

  constructor(source: AsyncIterable<Buffer>, boundary: string, private readonly limits: FormLimits) {
    this.iterator = source[Symbol.asyncIterator]();
    this.delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  }

  async readFields(): Promise<ParsedForm> {
    const fields: FormField[] = [];
    // The preamble (usually empty) and the first boundary.
    await this.take(this.delimiter);
    while (await this.afterDelimiter()) {
      const headers = parsePartHeaders((await this.take(HEADER_END, true)).toString('utf8'));
      if (headers.name.toLowerCase() === this.limits.fileFieldName) {
        return { fields, file: { ...headers, content: this.fileContent() } };
      }
      fields.push({ name: headers.name, value: (await this.take(this.delimiter)).toString('utf8') });
    }
    return { fields };
  }

  /** After a delimiter: `--` closes the form (false); otherwise optional white space and CRLF start a part. */
  private async afterDelimiter(): Promise<boolean> {
    const line = (await this.take(CRLF, false, true)).toString('latin1');
    if (line.startsWith('--')) return false;
    if (!/^[ \t]*$/.test(line)) throw malformed('A boundary is followed by unexpected characters.');
    return true;
  }

  /**
   * The bytes before the next `marker` in the field area, consuming the marker. `headerBlock`: the part
   * may have no headers at all (it starts with CRLF). `closeAllowed`: the form may end here (`--`).
   */
  private async take(marker: Buffer, headerBlock = false, closeAllowed = false): Promise<Buffer> {
    for (;;) {
      if (headerBlock && this.buffer.length >= CRLF.length && this.buffer.subarray(0, CRLF.length).equals(CRLF)) {
        return this.consume(0, CRLF.length);
      }
      if (closeAllowed && this.buffer.length >= 2 && this.buffer.subarray(0, 2).toString('latin1') === '--') {
        return this.consume(2, 0);
      }
      const at = this.buffer.indexOf(marker);
      if (at >= 0) return this.consume(at, marker.length);
      if (this.fieldBytes + this.buffer.length > this.limits.fieldsBytesMax) throw new S3Error('MaxPostPreDataLengthExceededError');
      const next = await this.nextChunk();
      if (!next) throw malformed('The body ended before the form was complete.');
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, next]) : next;
    }
  }

  private consume(length: number, markerLength: number): Buffer {
    const taken = this.buffer.subarray(0, length);
    this.fieldBytes += length + markerLength;
    if (this.fieldBytes > this.limits.fieldsBytesMax) throw new S3Error('MaxPostPreDataLengthExceededError');
    this.buffer = this.buffer.subarray(length + markerLength);
    return taken;
  }

  private async nextChunk(): Promise<Buffer | undefined> {
    const next = await this.iterator.next();
    return next.done ? undefined : next.value;
  }

  /**
   * Streams the file part up to its delimiter, holding back only the last delimiter-length bytes of
   * each chunk (the delimiter may straddle two chunks); a chunk is not copied unless it is tiny.
   */
  private async *fileContent(): AsyncGenerator<Buffer> {
    const delimiter = this.delimiter;
    const keep = delimiter.length - 1;
    let pending = this.buffer;
    this.buffer = EMPTY;
    for (;;) {
      const at = pending.indexOf(delimiter);
      if (at >= 0) {
        if (at > 0) yield pending.subarray(0, at);
        this.buffer = pending.subarray(at + delimiter.length);
        break;
      }
      if (pending.length > keep) {
        yield pending.subarray(0, pending.length - keep);
        pending = pending.subarray(pending.length - keep);
      }
      const next = await this.nextChunk();
      if (!next) throw malformed('The file part has no closing boundary.');
      if (pending.length === 0 || next.length < keep) {
        pending = pending.length === 0 ? next : Buffer.concat([pending, next]);
        continue;
      }
      // Only a delimiter that starts in `pending` can be missed by searching `next` alone; it would
      // end within the first `keep` bytes of `next`.
      const junction = Buffer.concat([pending, next.subarray(0, keep)]);
      const across = junction.indexOf(delimiter);
      if (across >= 0) {
        if (across > 0) yield junction.subarray(0, across);
        this.buffer = Buffer.concat([junction.subarray(across + delimiter.length), next.subarray(keep)]);
        break;
      }
      yield pending;
      pending = next;
    }
    await this.discardTrailer();
  }

  /** What follows the file (ignored fields, the close delimiter, an epilogue), bounded. */
  private async discardTrailer(): Promise<void> {
    let sizeBytes = this.buffer.length;
    this.buffer = EMPTY;
    for (;;) {
      if (sizeBytes > this.limits.trailerBytesMax) throw malformed('Too much data follows the file field.');
      const next = await this.nextChunk();
      if (!next) return;
      sizeBytes += next.length;
    }
  }
}

interface PartHeaders {
  name: string;
  filename?: string;
  contentType?: string;
}

function parsePartHeaders(block: string): PartHeaders {
  let disposition: string | undefined;
  let contentType: string | undefined;
  for (const line of block.split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformed('A part header line has no name.');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-disposition') disposition = value;
    else if (name === 'content-type') contentType = value;
  }
  if (disposition === undefined) throw malformed('A part has no Content-Disposition header.');
  const [type, ...params] = splitParameters(disposition);
  const name = parameterValue(params, 'name');
  if (type?.toLowerCase() !== 'form-data' || name === undefined) throw malformed('A part is not a form-data field with a name.');
  const filename = parameterValue(params, 'filename*') ?? parameterValue(params, 'filename');
  return { name, ...(filename !== undefined ? { filename } : {}), ...(contentType !== undefined ? { contentType } : {}) };
}

/** `type; a=b; c="d;e"` → ['type', 'a=b', 'c="d;e"'], splitting on semicolons outside quotes. */
function splitParameters(header: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const c = header[i]!;
    // Only an escaped quote is an escape: browsers send Windows paths' backslashes as they are.
    if (quoted && c === '\\' && header[i + 1] === '"') {
      current += c + header[++i]!;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ';' && !quoted) {
      out.push(current.trim());
      current = '';
    } else {
      current += c;
    }
  }
  out.push(current.trim());
  return out;
}

/** A parameter's value (quoted-string unescaped; `name*` in RFC 5987 form decoded), or undefined. */
function parameterValue(params: readonly string[], wanted: string): string | undefined {
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== wanted) continue;
    let value = param.slice(eq + 1).trim();
    // Quoted strings: `\"` (RFC 2616 style) and `%22` (HTML5 style, what browsers send) are quotes.
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1).replaceAll('\\"', '"').replaceAll('%22', '"');
    if (wanted.endsWith('*')) {
      const m = /^([^']*)'[^']*'(.*)$/.exec(value);
      if (!m) return undefined;
      const bytes = Buffer.from(m[2]!.replace(/%([0-9A-Fa-f]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
      // RFC 5987 names UTF-8 and ISO-8859-1; anything else is read as ISO-8859-1 (byte = code point).
      return bytes.toString(m[1]!.toLowerCase() === 'utf-8' ? 'utf8' : 'latin1');
    }
    return value;
  }
  return undefined;
}

function malformed(detail: string): S3Error {
  return new S3Error('MalformedPOSTRequest', `The body of your POST request is not well-formed multipart/form-data. ${detail}`);
}
