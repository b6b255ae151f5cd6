// Operator views of partners: the list, and one partner's page (its access details, connection status and
// the partner users who may sign in to see its deliveries: create, reset password, delete).
import { html, type SafeHtml } from '../html.js';
import { badge, copyable, csrfField, formatTime, notice } from './format.js';
import { layout, pageHead } from './layout.js';
import { accessContent, connectionRegion, defaultExplainForm, type ExplainForm } from './access-page.js';
import type { PageContext } from './page-context.js';
import type { PartnerDetailJson, PartnerJson, UserJson } from './api-types.js';

export async function partnersPage(ctx: PageContext): Promise<SafeHtml> {
  const partners = await ctx.api.get<PartnerJson[]>('/partners');
  const rows = partners.map((p) => html`<tr>
    <td><a href="/partners/${encodeURIComponent(p.name)}"><strong>${p.name}</strong></a></td>
    <td>${badge(p.status)}</td>
    <td class="mono small">${p.prefix}/</td>
    <td class="mono small">${p.alias}</td>
    <td>${p.roleArns.length}</td>
    <td>${p.deliveryAccounts.map((a) => html`<div>${a.name} ${a.verified ? badge('Verified', 'verified') : badge('Pending', 'pending')}</div>`)}</td>
    <td class="nowrap">${formatTime(p.createdAt)}</td>
    <td><a href="/deliveries?partner=${encodeURIComponent(p.name)}">Deliveries</a></td>
  </tr>`);
  const content = html`${pageHead('Partners', 'Studios and vendors with an access point on the delivery bucket.', html`<a class="button" href="/onboarding">Onboarding requests</a>`)}
  <div class="card flush">${partners.length
    ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Partner</th><th scope="col">Status</th><th scope="col">Prefix</th><th scope="col">Alias</th><th scope="col">Roles</th><th scope="col">Delivery accounts</th><th scope="col">Since</th><th scope="col"><span class="sr-only">Links</span></th></tr></thead><tbody>${rows}</tbody></table></div>`
    : html`<div class="empty"><h2>No partners yet</h2><p>Partners appear here once you approve their <a href="/onboarding">onboarding request</a>.</p></div>`}</div>`;
  return layout(ctx, { title: 'Partners', active: 'partners', content });
}

export interface PartnerPageNotice {
  kind: 'ok' | 'bad' | 'info';
  message: SafeHtml | string;
}

function usersCard(ctx: PageContext, p: PartnerJson, users: UserJson[]): SafeHtml {
  const base = `/partners/${encodeURIComponent(p.name)}/users`;
  const rows = users.map((u) => html`<tr>
    <td><strong>${u.name}</strong></td><td class="nowrap">${formatTime(u.createdAt)}</td><td class="small">${u.createdBy}</td>
    <td class="right nowrap">
      <form class="inline-form" method="post" action="${base}/${encodeURIComponent(u.name)}/reset">${csrfField(ctx.csrfToken)}<button class="button small" type="submit">Reset password</button></form>
      <form class="inline-form" method="post" action="${base}/${encodeURIComponent(u.name)}/delete" data-confirm="Delete the user ${u.name}? Their sessions end at once.">${csrfField(ctx.csrfToken)}<button class="button small danger" type="submit">Delete</button></form>
    </td></tr>`);
  return html`<section class="card flush" aria-labelledby="users-title"><div class="card-head"><h2 id="users-title">Portal users of ${p.name}</h2>
      <form class="inline-form" method="post" action="${base}">${csrfField(ctx.csrfToken)}<label class="sr-only" for="new-user">New user name</label><input id="new-user" name="name" type="text" placeholder="user name, e.g. jane@studio.example" required><button class="button primary" type="submit">Create login</button></form></div>
    ${users.length ? html`<div class="table-wrap"><table><thead><tr><th scope="col">User</th><th scope="col">Created</th><th scope="col">By</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead><tbody>${rows}</tbody></table></div>`
      : html`<div class="empty"><p>No one from ${p.name} can sign in yet. Create a login and send the password to the partner's delivery contact.</p></div>`}
  </section>`;
}

export async function partnerPage(ctx: PageContext, name: string, options: { notice?: PartnerPageNotice; explain?: ExplainForm; status?: number } = {}): Promise<{ page: SafeHtml; fragment?: boolean; status?: number }> {
  const p = await ctx.api.get<PartnerDetailJson>(`/partners/${encodeURIComponent(name)}`);
  if (ctx.request.query.get('fragment') === 'connection') return { page: connectionRegion(ctx, p), fragment: true };
  const users = await ctx.api.get<UserJson[]>('/users', { partner: p.name });
  const approved = ctx.request.query.get('approved') === '1'
    ? notice('ok', html`Approved. ${p.name} has its access point <code>${p.alias}</code> and prefix <code>${p.prefix}/</code>. Create a login below so their team can see it.`)
    : '';
  const content = html`<nav class="small muted" aria-label="Breadcrumb"><a href="/partners">Partners</a> / ${p.name}</nav>
  ${pageHead(p.name, html`${badge(p.status)} Partner since ${formatTime(p.createdAt)}`, html`<a class="button" href="/deliveries?partner=${encodeURIComponent(p.name)}">Deliveries of ${p.name}</a>`)}
  ${approved}${options.notice ? notice(options.notice.kind, options.notice.message) : ''}
  ${usersCard(ctx, p, users)}
  ${accessContent(ctx, p, options.explain ?? defaultExplainForm(p))}`;
  return { page: layout(ctx, { title: p.name, active: 'partners', content, live: true }), ...(options.status ? { status: options.status } : {}) };
}

/** The notice that shows a generated password once. */
export function passwordNotice(user: string, password: string): PartnerPageNotice {
  return {
    kind: 'ok',
    message: html`<strong>Login ready for ${user}.</strong> Password (shown once): ${copyable('new-password', password, 'password')}
      <span class="small">Send it over a channel you trust; the user can change it under their account.</span>`,
  };
}
