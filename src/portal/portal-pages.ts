// The page route table: which pages exist, who may open them, and the form posts behind their buttons
// (each calls the JSON API as the signed-in user, then redirects or re-renders with a notice).
import { S3Error } from '../core/errors.js';
import { html, type SafeHtml } from './html.js';
import { redirect, type PortalResponse } from './http-util.js';
import { notice } from './pages/format.js';
import type { PageContext } from './pages/page-context.js';
import { deliveriesPage } from './pages/deliveries-page.js';
import { deliveryDetailPage } from './pages/delivery-detail-page.js';
import { accessPage, apiMessage, runExplain } from './pages/access-page.js';
import { tasksPage } from './pages/tasks-page.js';
import { dashboardPage } from './pages/dashboard-page.js';
import { partnerPage, partnersPage, passwordNotice } from './pages/partners-page.js';
import { formOf, onboardingPage, rejectedNotice } from './pages/onboarding-page.js';
import { accountPage } from './pages/account-page.js';
import type { PortalAuth } from './auth/portal-auth.js';
import type { UserJson } from './pages/api-types.js';

/** What a page handler returns: a page, a fragment of one (live refresh), or a ready response (redirects). */
export type PageResult = { page: SafeHtml; fragment?: boolean; status?: number } | PortalResponse;

export interface PageRoute {
  method: 'GET' | 'POST';
  pattern: string;
  access: 'operator' | 'partner' | 'any';
  handle(ctx: PageContext, params: Record<string, string>, form: URLSearchParams | undefined): Promise<PageResult>;
}

export interface PageDeps {
  auth: PortalAuth;
  nowMs(): number;
}

const page = (p: SafeHtml, status?: number): PageResult => ({ page: p, ...(status ? { status } : {}) });

function messageOf(error: unknown): string {
  return error instanceof Error ? apiMessage(error.message) : String(error);
}

/** Runs a form action; an InvalidArgument/Conflict comes back as a message to show, anything else is thrown. */
async function attempt<T>(work: () => Promise<T>): Promise<{ ok: T } | { problem: string }> {
  try {
    return { ok: await work() };
  } catch (error) {
    if (error instanceof S3Error && (error.status === 400 || error.status === 409)) return { problem: messageOf(error) };
    throw error;
  }
}

export function pageRoutes(deps: PageDeps): PageRoute[] {
  return [
    { method: 'GET', pattern: '/', access: 'any', handle: async (ctx) => redirect(ctx.actor.kind === 'operator' ? '/dashboard' : '/deliveries') },
    { method: 'GET', pattern: '/deliveries', access: 'any', handle: (ctx) => deliveriesPage(ctx) },
    { method: 'GET', pattern: '/deliveries/:id', access: 'any', handle: (ctx, p) => deliveryDetailPage(ctx, p['id']!) },
    { method: 'GET', pattern: '/access', access: 'partner', handle: (ctx) => accessPage(ctx) },
    {
      method: 'POST', pattern: '/access/explain', access: 'partner',
      handle: async (ctx, _p, form) => accessPage(ctx, await runExplain(ctx, form!)),
    },
    { method: 'GET', pattern: '/tasks', access: 'any', handle: async (ctx) => page(tasksPage(ctx)) },
    { method: 'GET', pattern: '/dashboard', access: 'operator', handle: async (ctx) => page(await dashboardPage(ctx, deps.nowMs())) },
    { method: 'GET', pattern: '/partners', access: 'operator', handle: async (ctx) => page(await partnersPage(ctx)) },
    { method: 'GET', pattern: '/partners/:name', access: 'operator', handle: (ctx, p) => partnerPage(ctx, p['name']!) },
    {
      method: 'POST', pattern: '/partners/:name/explain', access: 'operator',
      handle: async (ctx, p, form) => partnerPage(ctx, p['name']!, { explain: await runExplain(ctx, form!) }),
    },
    {
      method: 'POST', pattern: '/partners/:name/users', access: 'operator',
      handle: async (ctx, p, form) => {
        const name = (form!.get('name') ?? '').trim();
        const result = await attempt(() => ctx.api.send<UserJson>('POST', '/users', { name, role: 'partner', partner: p['name'] }));
        if ('problem' in result) return partnerPage(ctx, p['name']!, { notice: { kind: 'bad', message: result.problem }, status: 400 });
        return partnerPage(ctx, p['name']!, { notice: passwordNotice(result.ok.name, result.ok.password!) });
      },
    },
    {
      method: 'POST', pattern: '/partners/:name/users/:user/reset', access: 'operator',
      handle: async (ctx, p, _form) => {
        await ownedUser(ctx, p['name']!, p['user']!);
        const result = await ctx.api.send<UserJson>('PUT', `/users/${encodeURIComponent(p['user']!)}/password`, {});
        return partnerPage(ctx, p['name']!, { notice: passwordNotice(result.name, result.password!) });
      },
    },
    {
      method: 'POST', pattern: '/partners/:name/users/:user/delete', access: 'operator',
      handle: async (ctx, p) => {
        await ownedUser(ctx, p['name']!, p['user']!);
        await ctx.api.send('DELETE', `/users/${encodeURIComponent(p['user']!)}`);
        return partnerPage(ctx, p['name']!, { notice: { kind: 'info', message: html`Deleted the user ${p['user']!}; their sessions have ended.` } });
      },
    },
    { method: 'GET', pattern: '/onboarding', access: 'operator', handle: (ctx) => onboardingPage(ctx) },
    {
      method: 'POST', pattern: '/onboarding/new', access: 'operator',
      handle: async (ctx, _p, form) => {
        const values = formOf(form!);
        const result = await attempt(() => ctx.api.send('POST', '/onboarding-requests', {
          partner: values.partner,
          roleArns: values.roleArns.split(/\s+/).filter(Boolean),
          deliveryAccounts: values.deliveryAccounts.split(/[\s,]+/).filter(Boolean),
          region: values.region,
          ...(values.sourceBucket ? { sourceBucket: values.sourceBucket } : {}),
        }));
        if ('problem' in result) return onboardingPage(ctx, { notice: notice('bad', result.problem), form: values, status: 400 });
        return redirect('/onboarding');
      },
    },
    {
      method: 'POST', pattern: '/onboarding/:id/approve', access: 'operator',
      handle: async (ctx, p) => {
        const result = await attempt(() => ctx.api.send<{ partner: string }>('POST', `/onboarding-requests/${encodeURIComponent(p['id']!)}/approve`));
        if ('problem' in result) return onboardingPage(ctx, { notice: notice('bad', result.problem), status: 409 });
        return redirect(`/partners/${encodeURIComponent(result.ok.partner)}?approved=1`);
      },
    },
    {
      method: 'POST', pattern: '/onboarding/:id/reject', access: 'operator',
      handle: async (ctx, p, form) => {
        const result = await attempt(() => ctx.api.send<{ partner: string }>('POST', `/onboarding-requests/${encodeURIComponent(p['id']!)}/reject`, { reason: form!.get('reason') ?? '' }));
        if ('problem' in result) return onboardingPage(ctx, { notice: notice('bad', result.problem), status: 400 });
        return onboardingPage(ctx, { notice: rejectedNotice(result.ok.partner) });
      },
    },
    { method: 'GET', pattern: '/account', access: 'any', handle: async (ctx) => page(accountPage(ctx)) },
    {
      method: 'POST', pattern: '/account/password', access: 'any',
      handle: async (ctx, _p, form) => {
        const next = form!.get('next') ?? '';
        if (next !== (form!.get('confirm') ?? '')) return page(accountPage(ctx, { kind: 'bad', text: 'The two new passwords differ.' }), 400);
        const problem = await deps.auth.changePassword(ctx.auth, form!.get('current') ?? '', next);
        if (problem) return page(accountPage(ctx, { kind: 'bad', text: problem }), 400);
        return page(accountPage(ctx, { kind: 'ok', text: 'Password changed. Your other sessions have ended.' }));
      },
    },
  ];
}

/** A user action on /partners/NAME/users/USER must name a user of that partner. */
async function ownedUser(ctx: PageContext, partner: string, user: string): Promise<void> {
  const users = await ctx.api.get<UserJson[]>('/users', { partner });
  if (!users.some((u) => u.name.toLowerCase() === user.toLowerCase())) throw new S3Error('NotFound', `No user ${user} of ${partner}.`);
}
