// Slate's HTTP server on its own port: static assets, sign-in and sign-out, the JSON API (/api/v1) with the
// live events feed, and the server-rendered pages. Every page reads through the JSON API as the signed-in
// user, so a partner user sees exactly what the API lets that partner see.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newRequestId } from '../core/ids.js';
import { limits } from '../core/limits.js';
import type { Clock } from '../core/clock.js';
import type { JsonApi } from '../api/json-api.js';
import type { Logger } from '../api/services.js';
import type { PortalStore } from '../storage/portal-store.js';
import { parseCookies, serializeCookie } from './auth/cookies.js';
import {
  actorOf, csrfTokenFor, loginCsrfCookieName, newSecretToken, PortalAuth, sessionCookieName, tokensEqual, type AuthenticatedSession,
} from './auth/portal-auth.js';
import { EventsFeed, type StatusSource } from './events-feed.js';
import { htmlResponse, readForm, redirect, type PortalRequest, type PortalResponse } from './http-util.js';
import { html } from './html.js';
import { findAsset, staticAssets } from './assets/static-assets.js';
import { apiRequest, tokenLogin } from './portal-api-front.js';
import { pageRoutes, type PageResult, type PageRoute } from './portal-pages.js';
import { apiClient, type PageContext } from './pages/page-context.js';
import { errorPage, loginPage } from './pages/login-page.js';
import { layout } from './pages/layout.js';
import { describeError, jsonError, writeResponse } from './respond.js';

export interface PortalOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  api: JsonApi;
  users: PortalStore;
  statuses: StatusSource;
  clock: Clock;
  log: Logger;
  /** The first operator's password hash from bootstrap (setting portal.operatorPasswordHash). */
  bootstrapOperatorHash?: string | undefined;
  /** Adds `Secure` to cookies: set when browsers reach Slate over HTTPS (a TLS proxy in front). */
  secureCookies?: boolean;
}

export interface PortalServer {
  url: string;
  port: number;
  auth: PortalAuth;
  feed: EventsFeed;
  close(): Promise<void>;
}

interface CompiledPage extends PageRoute {
  regex: RegExp;
  names: string[];
}

function compile(routes: PageRoute[]): CompiledPage[] {
  return routes.map((route) => {
    const names: string[] = [];
    const source = route.pattern.replace(/:(\w+)/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    return { ...route, regex: new RegExp(`^${source}$`), names };
  });
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function startPortal(options: PortalOptions): Promise<PortalServer> {
  const { api, clock, log } = options;
  const auth = new PortalAuth(options.users, clock);
  await auth.ensureBootstrapOperator(options.bootstrapOperatorHash);
  const feed = new EventsFeed(options.statuses, {
    clientsMax: limits.eventsFeedClientsMax,
    heartbeatMs: limits.portalEventsHeartbeatMs,
    bufferedBytesMax: limits.portalEventsBufferedBytesMax,
    stillAllowed: async (client) => client.token === undefined || (await auth.stillValid(client.token)),
  });
  feed.start();
  const pages = compile(pageRoutes({ auth, nowMs: () => clock.nowMs() }));
  const secure = options.secureCookies ?? false;
  const sessionCookie = (token: string) => serializeCookie(sessionCookieName, token, { secure, maxAgeSeconds: limits.portalSessionLifetimeMs / 1000 });
  const clearCookie = (name: string) => serializeCookie(name, '', { secure, maxAgeSeconds: 0 });

  async function sessionOf(request: PortalRequest): Promise<AuthenticatedSession | undefined> {
    const header = request.req.headers['authorization'];
    if (typeof header === 'string' && /^Bearer\s+/i.test(header)) return auth.authenticate(header.replace(/^Bearer\s+/i, '').trim(), true);
    return auth.authenticate(request.cookies.get(sessionCookieName), false);
  }

  /** Same-origin check for browsers that send Origin: a state change from another site is refused outright. */
  function crossSite(request: PortalRequest): boolean {
    const origin = request.req.headers['origin'];
    if (!origin || origin === 'null') return origin === 'null';
    try {
      return new URL(origin).host !== request.req.headers['host'];
    } catch {
      return true;
    }
  }

  async function loginRoute(request: PortalRequest): Promise<PortalResponse> {
    if (request.method === 'GET') {
      if (await sessionOf(request)) return redirect('/');
      const csrfToken = newSecretToken();
      const next = safeNext(request.query.get('next'));
      return htmlResponse(loginPage({ csrfToken, ...(next ? { next } : {}) }), 200, { 'set-cookie': serializeCookie(loginCsrfCookieName, csrfToken, { secure, maxAgeSeconds: 3600 }) });
    }
    const form = await readForm(request.req, limits.portalFormBodyBytesMax);
    const user = (form.get('user') ?? '').trim();
    const next = safeNext(form.get('next'));
    const expected = request.cookies.get(loginCsrfCookieName);
    const fresh = () => {
      const csrfToken = newSecretToken();
      return { csrfToken, cookie: serializeCookie(loginCsrfCookieName, csrfToken, { secure, maxAgeSeconds: 3600 }) };
    };
    if (!expected || !tokensEqual(expected, form.get('_csrf') ?? '') || crossSite(request)) {
      const { csrfToken, cookie } = fresh();
      return htmlResponse(loginPage({ csrfToken, userName: user, error: 'The sign-in form expired. Please sign in again.', ...(next ? { next } : {}) }), 403, { 'set-cookie': cookie });
    }
    const result = await auth.login(user, form.get('password') ?? '', request.sourceIp);
    if (result.kind === 'ok') {
      return redirect(next ?? '/', { 'set-cookie': [sessionCookie(result.token), clearCookie(loginCsrfCookieName)] });
    }
    const { csrfToken, cookie } = fresh();
    if (result.kind === 'rate-limited') {
      const minutes = Math.ceil(result.retryAfterMs / 60_000);
      return htmlResponse(loginPage({ csrfToken, userName: user, error: `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, ...(next ? { next } : {}) }), 429,
        { 'set-cookie': cookie, 'retry-after': String(Math.ceil(result.retryAfterMs / 1000)) });
    }
    return htmlResponse(loginPage({ csrfToken, userName: user, error: 'The user name or password is not correct.', ...(next ? { next } : {}) }), 401, { 'set-cookie': cookie });
  }

  async function pageContext(request: PortalRequest, session: AuthenticatedSession, fragment: boolean): Promise<PageContext> {
    const actor = actorOf(session.user);
    const client = apiClient(api, actor, request.requestId);
    const ctx: PageContext = { request, auth: session, actor, csrfToken: csrfTokenFor(session.token), api: client };
    if (!fragment) {
      if (actor.kind === 'partner') ctx.partnerName = (await client.get<{ name: string }[]>('/partners'))[0]?.name;
      else ctx.pendingOnboarding = (await client.get<unknown[]>('/onboarding-requests', { status: 'Pending' })).length;
    }
    return ctx;
  }

  function toResponse(result: PageResult): PortalResponse {
    if ('page' in result) return htmlResponse(result.page, result.status ?? 200);
    return result;
  }

  async function pageRoute(request: PortalRequest, session: AuthenticatedSession | undefined): Promise<PortalResponse> {
    const fragment = request.query.has('fragment');
    let matchedPath = false;
    for (const route of pages) {
      const m = route.regex.exec(request.path);
      if (!m) continue;
      matchedPath = true;
      if (route.method !== request.method) continue;
      if (!session) {
        if (fragment || request.method !== 'GET') return htmlResponse(errorPage(401, 'Signed out', 'Your session ended. Sign in again.'), 401);
        const next = request.path + (request.query.toString() ? `?${request.query}` : '');
        return redirect(next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`);
      }
      let form: URLSearchParams | undefined;
      if (request.method === 'POST') {
        form = await readForm(request.req, limits.portalFormBodyBytesMax);
        if (crossSite(request) || !tokensEqual(csrfTokenFor(session.token), form.get('_csrf') ?? '')) {
          return htmlResponse(errorPage(403, 'Form refused', 'The form was missing its security token or came from another site. Reload the page and try again.'), 403);
        }
      }
      const ctx = await pageContext(request, session, fragment);
      if (route.access !== 'any' && route.access !== ctx.actor.kind) {
        if (route.pattern === '/access' && ctx.actor.kind === 'operator') return redirect('/partners');
        return htmlResponse(layout(ctx, { title: 'Not allowed', active: undefined, content: notAllowed() }), 403);
      }
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => { params[name] = decodeURIComponent(m[i + 1]!); });
      try {
        return toResponse(await route.handle(ctx, params, form));
      } catch (error) {
        const { status, message } = describeError(error, log, request.requestId);
        if (fragment) return htmlResponse(html`<div></div>`, status);
        const title = status === 404 ? 'Not found' : status === 403 ? 'Not allowed' : status >= 500 ? 'Something went wrong' : 'That did not work';
        const text = status === 404 ? 'There is nothing here, or it is not yours to see.' : message;
        return htmlResponse(layout(ctx, { title, active: undefined, content: html`<div class="card empty" role="alert"><h2>${title}</h2><p>${text}</p><p><a class="button" href="/">Back</a></p></div>` }), status);
      }
    }
    if (matchedPath) return htmlResponse(errorPage(405, 'Not allowed', `${request.method} is not allowed here.`), 405, { allow: 'GET, POST' });
    return htmlResponse(errorPage(404, 'Not found', 'There is no such page.'), 404);
  }

  async function route(request: PortalRequest, res: ServerResponse): Promise<PortalResponse | 'streamed'> {
    const { path, method } = request;
    if (method === 'GET' && path.startsWith('/assets/')) {
      const asset = findAsset(path);
      if (!asset) return htmlResponse(errorPage(404, 'Not found', 'There is no such file.'), 404);
      return { status: 200, headers: { 'content-type': asset.contentType, 'cache-control': 'public, max-age=31536000, immutable' }, body: asset.body };
    }
    if (method === 'GET' && path === '/favicon.ico') return redirect(staticAssets.icon.path);
    if (path === '/login') return loginRoute(request);
    if (path === '/api/v1/sessions' && method === 'POST') return tokenLogin({ api, auth }, request);
    const session = await sessionOf(request);
    if (path === '/logout' && method === 'POST') {
      const form = await readForm(request.req, limits.portalFormBodyBytesMax);
      if (session && tokensEqual(csrfTokenFor(session.token), form.get('_csrf') ?? '') && !crossSite(request)) await auth.logout(session.token);
      else if (session) return htmlResponse(errorPage(403, 'Form refused', 'The sign-out form was missing its security token.'), 403);
      return redirect('/login', { 'set-cookie': clearCookie(sessionCookieName) });
    }
    if (path.startsWith('/api/v1/')) {
      if (!session) return jsonError(401, 'Unauthenticated', 'Sign in first: a session cookie or an Authorization: Bearer token.', request.requestId);
      if (unsafeMethods.has(method) && !session.bearer) {
        const presented = request.req.headers['x-csrf-token'];
        if (typeof presented !== 'string' || !tokensEqual(csrfTokenFor(session.token), presented) || crossSite(request)) {
          return jsonError(403, 'InvalidCsrfToken', 'State changes with a session cookie need the X-CSRF-Token header (GET /api/v1/me gives it).', request.requestId);
        }
      }
      if (path === '/api/v1/events' && method === 'GET') {
        if (!feed.open(res, { actor: actorOf(session.user), token: session.token })) {
          return jsonError(503, 'SlowDown', 'Too many live connections; try again shortly.', request.requestId, { 'retry-after': '5' });
        }
        return 'streamed';
      }
      try {
        return await apiRequest({ api, auth }, request, session);
      } catch (error) {
        const { status, code, message } = describeError(error, log, request.requestId);
        return jsonError(status, code, message, request.requestId);
      }
    }
    return pageRoute(request, session);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    let response: PortalResponse | 'streamed';
    try {
      const url = new URL(req.url ?? '/', 'http://portal.invalid');
      const request: PortalRequest = {
        req, method: req.method ?? 'GET', path: url.pathname, query: url.searchParams,
        cookies: parseCookies(req.headers['cookie']), sourceIp: req.socket.remoteAddress ?? 'unknown', requestId,
      };
      response = await route(request, res);
    } catch (error) {
      const { status, message } = error instanceof URIError ? { status: 400, message: 'The address is not valid.' } : describeError(error, log, requestId);
      response = (req.url ?? '').startsWith('/api/')
        ? jsonError(status, status === 400 ? 'BadRequest' : 'InternalError', message, requestId)
        : htmlResponse(errorPage(status, status >= 500 ? 'Something went wrong' : 'Bad request', message), status);
    }
    if (response === 'streamed') return;
    response.headers['x-request-id'] = requestId;
    await writeResponse(res, response).catch(() => res.destroy());
  }

  const server: Server = createServer({ maxHeaderSize: limits.headerBytesMax, requestTimeout: limits.headersTimeoutMs, headersTimeout: limits.headersTimeoutMs, keepAliveTimeout: limits.keepAliveTimeoutMs });
  server.on('request', (req, res) => void handle(req, res));
  server.maxConnections = limits.connectionsMax;
  server.setTimeout(limits.bodyIdleTimeoutMs, (socket) => socket.destroy());
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
  const sweep = setInterval(() => void auth.sweepSessions().catch((error: unknown) => log.warn('session sweep failed', { error: String(error) })), 60 * 60 * 1000);
  sweep.unref();
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  return {
    url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`,
    port,
    auth,
    feed,
    async close() {
      clearInterval(sweep);
      feed.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** Only same-site paths are followed after sign-in (no open redirects). */
function safeNext(value: string | null): string | undefined {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || value.startsWith('/login')) return undefined;
  return value;
}

function notAllowed() {
  return html`<div class="card empty" role="alert"><h2>Not allowed</h2><p>This page is for platform operators.</p><p><a class="button" href="/">Back</a></p></div>`;
}

