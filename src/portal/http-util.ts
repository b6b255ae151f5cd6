// The portal's HTTP plumbing: the request it hands to pages, responses, bounded body reads, form parsing and
// the security headers every response carries (a strict Content-Security-Policy: no inline script or style).
import type { IncomingMessage } from 'node:http';
import type { ResponseBody } from '../api/context.js';
import type { SafeHtml } from './html.js';

export interface PortalRequest {
  req: IncomingMessage;
  method: string;
  /** Path as received (still percent-encoded; routes decode their parameters), without the query. */
  path: string;
  query: URLSearchParams;
  cookies: Map<string, string>;
  sourceIp: string;
  requestId: string;
}

export interface PortalResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body?: ResponseBody;
}

/** Thrown while reading a request: answered with the status and message as given. */
export class PortalHttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'PortalHttpError';
  }
}

export const contentSecurityPolicy = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "font-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'",
].join('; ');

export const securityHeaders: Record<string, string> = {
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export function htmlResponse(page: SafeHtml, status = 200, headers: Record<string, string | string[]> = {}): PortalResponse {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers }, body: page.value };
}

export function redirect(location: string, headers: Record<string, string | string[]> = {}): PortalResponse {
  return { status: 303, headers: { location, 'cache-control': 'no-store', ...headers } };
}

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > maxBytes) throw new PortalHttpError(413, 'The request body is too large.');
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) throw new PortalHttpError(413, 'The request body is too large.');
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/** An HTML form post (application/x-www-form-urlencoded); anything else is refused. */
export async function readForm(req: IncomingMessage, maxBytes: number): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new PortalHttpError(415, 'Forms must be posted as application/x-www-form-urlencoded.');
  return new URLSearchParams((await readBody(req, maxBytes)).toString('utf8'));
}

/** A JSON API body: only application/json (a cross-site form cannot send it without a preflight). */
export async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const body = await readBody(req, maxBytes);
  if (body.length === 0) return undefined;
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new PortalHttpError(415, 'API request bodies must be application/json.');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new PortalHttpError(400, 'The request body is not valid JSON.');
  }
}

/** Rebuilds a query string from pairs, leaving out empty values (for links that keep the current filters). */
export function queryString(values: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
