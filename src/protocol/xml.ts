// XML in and out: a small escaping builder for responses, a validating size-limited parser for request bodies.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { S3Error } from '../core/errors.js';

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';
export const S3_CONTROL_NAMESPACE = 'http://awss3control.amazonaws.com/doc/2018-08-20/';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export function escapeXml(value: string): string {
  return value.replace(/[&<>"'\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : c === "'" ? '&apos;' : '&#13;',
  );
}

export type XmlValue = string | number | boolean | undefined | null;

/** `<name>escaped value</name>`, or nothing when the value is undefined or null. */
export function el(name: string, value: XmlValue): string {
  if (value === undefined || value === null) return '';
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** `<name>inner</name>` where inner is already XML. */
export function wrap(name: string, inner: string): string {
  return `<${name}>${inner}</${name}>`;
}

/** A response document; `namespace` '' leaves the root without xmlns. */
export function xmlDocument(root: string, inner: string, namespace: string = S3_NAMESPACE): string {
  const ns = namespace ? ` xmlns="${namespace}"` : '';
  return `${XML_DECLARATION}<${root}${ns}>${inner}</${root}>`;
}

export type XmlNode = { [name: string]: XmlNode | XmlNode[] | string | string[] | undefined };

/** Elements that may repeat in the request bodies we accept; they always parse as arrays. */
const repeatedElements = new Set(['Object', 'Part', 'Tag', 'Grant', 'Rule', 'CORSRule', 'AllowedMethod', 'AllowedOrigin', 'AllowedHeader', 'ExposeHeader', 'member']);

const predefinedEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * XML's five predefined entities and character references (&#13; &#x0A;), decoded in one pass; any
 * other '&' is MalformedXML. The AWS SDKs write CR, LF, NEL and LS in keys as character references
 * (JS v3: &#x0D; &#x0A;), so a DeleteObjects key or a tag value must decode them to round-trip.
 * (CDATA sections are decoded too; S3 clients do not send them.)
 */
function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([A-Za-z]+));|&/g, (_match, hex?: string, dec?: string, name?: string) => {
    if (name !== undefined) {
      const value = predefinedEntities[name];
      if (value === undefined) throw new S3Error('MalformedXML');
      return value;
    }
    if (hex === undefined && dec === undefined) throw new S3Error('MalformedXML');
    const codePoint = hex !== undefined ? parseInt(hex, 16) : Number(dec);
    const isXmlChar = codePoint === 0x9 || codePoint === 0xa || codePoint === 0xd ||
      (codePoint >= 0x20 && codePoint <= 0xd7ff) || (codePoint >= 0xe000 && codePoint <= 0xfffd) || (codePoint >= 0x10000 && codePoint <= 0x10ffff);
    if (!isXmlChar) throw new S3Error('MalformedXML');
    return String.fromCodePoint(codePoint);
  });
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  removeNSPrefix: true,
  // Entities are decoded by decodeEntities (the parser's own pass skips character references).
  processEntities: false,
  htmlEntities: false,
  tagValueProcessor: (_name, value) => decodeEntities(value),
  isArray: (name) => repeatedElements.has(name),
});

/** Parses a request body; malformed, oversized or DTD-bearing documents are MalformedXML. */
export function parseXml(body: string, rootName: string): XmlNode {
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) throw new S3Error('MalformedXML');
  if (XMLValidator.validate(body) !== true) throw new S3Error('MalformedXML');
  const parsed = parser.parse(body) as XmlNode;
  const root = parsed[rootName];
  if (root === undefined || Array.isArray(root)) throw new S3Error('MalformedXML');
  if (typeof root === 'string') return {};
  return root as XmlNode;
}

export function textOf(node: XmlNode | undefined, name: string): string | undefined {
  const value = node?.[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) throw new S3Error('MalformedXML');
  return ''; // an element with children where text was expected, e.g. <Key/> parsed as {}
}

export function childOf(node: XmlNode | undefined, name: string): XmlNode | undefined {
  const value = node?.[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? {} : undefined;
  if (Array.isArray(value)) throw new S3Error('MalformedXML');
  return value;
}

export function childrenOf(node: XmlNode | undefined, name: string): XmlNode[] {
  const value = node?.[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => (typeof item === 'string' ? ({ '#text': item } as XmlNode) : item));
}
