// What a page handler gets: the request, the signed-in user as a JSON API actor, its CSRF token, and an
// in-process client for the JSON API — the portal's only backend, so pages see exactly what the API allows.
import { S3Error } from '../../core/errors.js';
import type { Actor, JsonApi } from '../../api/json-api.js';
import type { AuthenticatedSession } from '../auth/portal-auth.js';
import type { PortalRequest } from '../http-util.js';

export interface PageContext {
  request: PortalRequest;
  auth: AuthenticatedSession;
  actor: Actor;
  csrfToken: string;
  /** The partner a partner user belongs to (its name), for titles and links. */
  partnerName?: string | undefined;
  /** Pending onboarding requests (operators), for the navigation badge. */
  pendingOnboarding?: number | undefined;
  api: ApiClient;
}

export interface ApiClient {
  get<T>(path: string, query?: URLSearchParams | Record<string, string>): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

async function bodyText(body: unknown): Promise<string> {
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  if (body && typeof body === 'object' && Symbol.asyncIterator in body) {
    const parts: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Buffer>) parts.push(chunk);
    return Buffer.concat(parts).toString('utf8');
  }
  return '';
}

export function apiClient(api: JsonApi, actor: Actor, requestId: string): ApiClient {
  async function call<T>(method: string, path: string, query: URLSearchParams, body: unknown): Promise<T> {
    const response = await api({ method, path, query, body, actor, requestId });
    const text = await bodyText(response.body);
    if (response.status >= 400) throw new S3Error(response.status === 404 ? 'NotFound' : 'InvalidRequest', text);
    return (text ? JSON.parse(text) : undefined) as T;
  }
  return {
    get: (path, query) => call('GET', path, query instanceof URLSearchParams ? query : new URLSearchParams(query ?? {}), undefined),
    send: (method, path, body) => call(method, path, new URLSearchParams(), body),
  };
}
