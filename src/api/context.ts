// The typed request context every stage and handler receives, and the response shape handlers return.
import type { IncomingMessage } from 'node:http';
import type { ParsedAuth, VerifiedSignature } from '../protocol/sigv4.js';
import type { RequestTarget } from '../protocol/request-target.js';
import type { Principal } from '../iam/principal.js';
import type { Services } from './services.js';

export interface RequestContext {
  readonly requestId: string;
  readonly hostId: string;
  readonly startMs: number;
  readonly req: IncomingMessage;
  readonly method: string;
  /** Path as received, still percent-encoded. */
  readonly rawPath: string;
  /** Query as received, without '?'. */
  readonly rawQuery: string;
  readonly query: URLSearchParams;
  /** Lower-case header names; repeated headers joined by Node. */
  readonly headers: IncomingMessage['headers'];
  readonly sourceIp: string;
  readonly secure: boolean;
  readonly services: Services;
  target: RequestTarget;
  principal: Principal;
  auth?: ParsedAuth;
  signature?: VerifiedSignature;
  /** Set when a POST Object form's signature authenticated the request (post-form-auth.ts). */
  postForm?: { signatureVersion: 'AWS' | 'AWS4-HMAC-SHA256' };
  /** The raw request body; the first read sends `100 Continue` when the client asked for it. */
  rawBody(): AsyncIterable<Buffer>;
}

export type ResponseBody = string | Buffer | AsyncIterable<Buffer>;

export interface ApiResponse {
  status: number;
  headers: Record<string, string | number | undefined>;
  body?: ResponseBody;
}

export function header(ctx: RequestContext, name: string): string | undefined {
  const v = ctx.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

export function xmlResponse(body: string, status = 200, headers: ApiResponse['headers'] = {}): ApiResponse {
  return { status, headers: { 'content-type': 'application/xml', ...headers }, body };
}

export function emptyResponse(status: number, headers: ApiResponse['headers'] = {}): ApiResponse {
  return { status, headers };
}
