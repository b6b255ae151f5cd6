// The JSON API's shape, shared by its two fronts: the AWS port (SigV4, service "s3push") and the portal
// (session cookie or bearer token). The route table itself lives with the portal; the composition root
// plugs it into the AWS port's pipeline.
import type { ApiResponse } from './context.js';

/** Who is calling the JSON API: an operator sees everything, a partner only its own data. */
export interface Actor {
  kind: 'operator' | 'partner';
  /** For partners: the only partner whose data they may read or change. */
  partnerId?: string;
  /** Who, for audit fields ("operator", "arn:aws:sts::…", "user alice"). */
  label: string;
}

export interface JsonRequest {
  method: string;
  /** Path under /api/v1, without the query string. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  actor: Actor;
  requestId: string;
}

export type JsonApi = (request: JsonRequest) => Promise<ApiResponse>;

export function jsonResponse(value: unknown, status = 200): ApiResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(value) };
}
