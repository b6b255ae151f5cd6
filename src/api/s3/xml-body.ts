// Reads and parses the small XML bodies of configuration requests (verified, size-limited).
import { S3Error } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { parseXml, type XmlNode } from '../../protocol/xml.js';
import type { RequestContext } from '../context.js';
import { readSmallBody } from './payload.js';

/** The root element's children; undefined for an empty body when `optional`. */
export async function readXmlBody(ctx: RequestContext, rootName: string, options: { optional: true }): Promise<XmlNode | undefined>;
export async function readXmlBody(ctx: RequestContext, rootName: string, options?: { optional?: false }): Promise<XmlNode>;
export async function readXmlBody(ctx: RequestContext, rootName: string, options: { optional?: boolean } = {}): Promise<XmlNode | undefined> {
  const body = (await readSmallBody(ctx, limits.xmlBodyBytesMax)).toString('utf8');
  if (body.trim() === '') {
    if (options.optional) return undefined;
    throw new S3Error('MissingRequestBodyError');
  }
  return parseXml(body, rootName);
}
