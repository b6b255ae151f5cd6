// Sniffers for the text formats file-type cannot tell apart: captions/subtitles (SCC, SRT, WebVTT, TTML,
// EBU STL) and metadata (XML, JSON, CSV). Each returns undefined when the bytes fit, else the reason.
import { XMLValidator } from 'fast-xml-parser';
import { parseCsv } from './csv-records.js';

export type TextFormat = 'scc' | 'srt' | 'vtt' | 'ttml' | 'stl' | 'xml' | 'json' | 'csv' | 'text';

/** `head` is the start of the object; `complete` says it is the whole object (so it can be parsed fully). */
export type Sniffer = (head: Buffer, complete: boolean) => string | undefined;

const TTML_NAMESPACE = 'http://www.w3.org/ns/ttml';

/** Text of a head: UTF-8 (BOM optional) or UTF-16 with a BOM; an error string for binary or invalid bytes. */
export function decodeText(head: Buffer, complete: boolean): string | { error: string } {
  let encoding = 'utf-8';
  let start = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) start = 3;
  else if (head[0] === 0xff && head[1] === 0xfe) [encoding, start] = ['utf-16le', 2];
  else if (head[0] === 0xfe && head[1] === 0xff) [encoding, start] = ['utf-16be', 2];
  let text: string;
  try {
    // stream: a head may end inside a multi-byte character; that tail is left undecoded, not an error.
    text = new TextDecoder(encoding, { fatal: true }).decode(head.subarray(start), { stream: !complete });
  } catch {
    return { error: `it is not valid ${encoding.toUpperCase()} text` };
  }
  if (text.includes('\u0000')) return { error: 'it contains binary data (NUL bytes)' };
  return text;
}

function withText(check: (text: string, complete: boolean) => string | undefined): Sniffer {
  return (head, complete) => {
    const text = decodeText(head, complete);
    return typeof text === 'string' ? check(text, complete) : text.error;
  };
}

/** Whole lines of the head (the last, possibly cut-off line is dropped unless the head is complete). */
function linesOf(text: string, complete: boolean): string[] {
  const lines = text.split(/\r\n|\n|\r/);
  if (!complete && lines.length > 1) lines.pop();
  return lines;
}

/** The first element's start tag of an XML head, after the declaration, comments, PIs and DOCTYPE. */
function firstStartTag(text: string): { name: string; attributes: string } | undefined {
  let rest = text.trimStart();
  for (;;) {
    const skipped = /^(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)\s*/.exec(rest);
    if (!skipped) break;
    rest = rest.slice(skipped[0].length);
  }
  const tag = /^<([A-Za-z_][\w.:-]*)([^>]*)>/.exec(rest);
  return tag ? { name: tag[1]!, attributes: tag[2]! } : undefined;
}

function xmlProblem(text: string, complete: boolean): string | undefined {
  if (!text.trimStart().startsWith('<')) return 'it does not start with an XML declaration or element';
  if (!complete) return firstStartTag(text) ? undefined : 'no XML element found at the start';
  const valid = XMLValidator.validate(text);
  return valid === true ? undefined : `it is not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`;
}

const SRT_TIMING = /^\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s+-->\s+\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}/;

export const textSniffers: Record<TextFormat, Sniffer> = {
  scc: withText((text) => (text.startsWith('Scenarist_SCC V1.0') ? undefined : 'it does not start with the header "Scenarist_SCC V1.0"')),

  vtt: withText((text) => (/^WEBVTT(?:[ \t\r\n]|$)/.test(text) ? undefined : 'it does not start with "WEBVTT"')),

  srt: withText((text, complete) => {
    const lines = linesOf(text, complete).map((l) => l.trim());
    const first = lines.findIndex((l) => l !== '');
    if (first < 0) return 'it is empty';
    if (!/^\d+$/.test(lines[first]!)) return 'the first line is not a cue number';
    const timing = lines[first + 1];
    return timing !== undefined && SRT_TIMING.test(timing) ? undefined : 'the cue number is not followed by a "00:00:01,000 --> 00:00:02,000" timing line';
  }),

  ttml: withText((text, complete) => {
    const tag = firstStartTag(text);
    if (!tag || !/^(?:[\w.-]+:)?tt$/.test(tag.name)) return 'its root element is not <tt>';
    if (!tag.attributes.includes(TTML_NAMESPACE)) return `its <tt> element does not declare the TTML namespace ${TTML_NAMESPACE}`;
    return xmlProblem(text, complete);
  }),

  // EBU Tech 3264: a 1024-byte GSI block starting with a 3-digit code page and the disk format "STLnn.01".
  stl: (head) => {
    if (head.length < 11) return 'it is shorter than an EBU STL header';
    const codePage = head.subarray(0, 3).toString('latin1');
    const diskFormat = head.subarray(3, 11).toString('latin1');
    if (!/^\d{3}$/.test(codePage) || !/^STL\d\d\.01$/.test(diskFormat)) return 'it does not start with an EBU STL GSI block (e.g. "850STL25.01")';
    return undefined;
  },

  xml: withText(xmlProblem),

  json: withText((text, complete) => {
    const trimmed = text.trimStart();
    if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return 'it does not start with "{" or "["';
    if (!complete) return undefined;
    try {
      JSON.parse(trimmed);
      return undefined;
    } catch (error) {
      return `it is not valid JSON (${(error as Error).message})`;
    }
  }),

  csv: withText((text, complete) => {
    const parsed = parseCsv(text, 100, !complete);
    if ('error' in parsed) return `row ${parsed.row}: ${parsed.error}`;
    const [header, ...rows] = parsed.rows;
    if (!header || header.length < 2) return 'its first row does not have at least two comma-separated columns';
    const uneven = rows.findIndex((r) => r.length !== header.length);
    return uneven < 0 ? undefined : `row ${uneven + 2} has ${rows[uneven]!.length} columns, the header has ${header.length}`;
  }),

  text: withText(() => undefined),
};
