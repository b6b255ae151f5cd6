// The JSON API on the portal port (/api/v1/…): token logins (POST /sessions), logout, who-am-I, and every route
// of the shared table — authenticated by session cookie (state changes need the X-CSRF-Token header) or by
// `Authorization: Bearer <token>`. The events feed is served by the portal server itself.
import { S3Error } from '../core/errors.js';
import { limits } from '../core/limits.js';
import type { JsonApi } from '../api/json-api.js';
import { actorOf, csrfTokenFor, type AuthenticatedSession, type PortalAuth } from './auth/portal-auth.js';
import { readJson, type PortalRequest, type PortalResponse } from './http-util.js';
import { jsonError } from './respond.js';

export interface ApiFrontDeps {
  api: JsonApi;
  auth: PortalAuth;
}

function json(value: unknown, status = 200, headers: Record<string, string> = {}): PortalResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers }, body: JSON.stringify(value) };
}

/** POST /api/v1/sessions {user, password} → a bearer token for scripts (rate-limited like the login form). */
export async function tokenLogin(deps: ApiFrontDeps, request: PortalRequest): Promise<PortalResponse> {
  const body = await readJson(request.req, limits.jsonBodyBytesMax) as { user?: unknown; password?: unknown } | undefined;
  const user = typeof body?.user === 'string' ? body.user : '';
  const password = typeof body?.password === 'string' ? body.password : '';
  const result = await deps.auth.login(user, password, request.sourceIp);
  if (result.kind === 'rate-limited') {
    const seconds = Math.ceil(result.retryAfterMs / 1000);
    return jsonError(429, 'TooManyRequests', `Too many failed logins; try again in ${seconds} seconds.`, request.requestId, { 'retry-after': String(seconds) });
  }
  if (result.kind === 'invalid') return jsonError(401, 'InvalidCredentials', 'The user name or password is not correct.', request.requestId);
  return json({ token: result.token, csrfToken: csrfTokenFor(result.token), expiresAt: new Date(result.expiresMs).toISOString(), user: { name: result.user.name, role: result.user.role } }, 201);
}

/** Everything under /api/v1 but the events feed, once the caller is authenticated (and, for cookie sessions, CSRF-checked). */
export async function apiRequest(deps: ApiFrontDeps, request: PortalRequest, session: AuthenticatedSession): Promise<PortalResponse> {
  const path = request.path.slice('/api/v1'.length);
  const actor = actorOf(session.user);
  if (path === '/sessions/current' && request.method === 'DELETE') {
    await deps.auth.logout(session.token);
    return json({ signedOut: true });
  }
  if (path === '/me' && request.method === 'GET') {
    const partner = actor.kind === 'partner' ? (await callJson<{ name: string }[]>(deps.api, actor, 'GET', '/partners', request.requestId))[0]?.name ?? null : null;
    return json({ name: session.user.name, role: session.user.role, partner, csrfToken: csrfTokenFor(session.token), expiresAt: new Date(session.session.expiresMs).toISOString() });
  }
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await readJson(request.req, limits.jsonBodyBytesMax);
  const result = await deps.api({ method: request.method, path, query: request.query, body, actor, requestId: request.requestId });
  return { status: result.status, headers: Object.fromEntries(Object.entries({ 'cache-control': 'no-store', ...result.headers }).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])), ...(result.body !== undefined ? { body: result.body } : {}) };
}

async function callJson<T>(api: JsonApi, actor: ReturnType<typeof actorOf>, method: string, path: string, requestId: string): Promise<T> {
  const result = await api({ method, path, query: new URLSearchParams(), body: undefined, actor, requestId });
  if (typeof result.body !== 'string') throw new S3Error('InternalError');
  return JSON.parse(result.body) as T;
}
