// Operator onboarding: pending requests (approve with one click, reject with a reason), decided requests, and
// a form to file a request on a partner's behalf.
import { html, type SafeHtml } from '../html.js';
import { badge, csrfField, formatTime, notice } from './format.js';
import { layout, pageHead } from './layout.js';
import type { PageContext } from './page-context.js';
import type { OnboardingJson, PartnerJson } from './api-types.js';

export interface NewRequestForm {
  partner: string;
  roleArns: string;
  deliveryAccounts: string;
  region: string;
  sourceBucket: string;
}

const emptyForm: NewRequestForm = { partner: '', roleArns: '', deliveryAccounts: '', region: 'us-east-1', sourceBucket: '' };

function pendingRow(ctx: PageContext, r: OnboardingJson, existing: PartnerJson | undefined): SafeHtml {
  const base = `/onboarding/${encodeURIComponent(r.id)}`;
  return html`<tr data-id="${r.id}">
    <td><strong>${r.partner}</strong><span class="sub mono">${r.id}</span>${existing
      ? html`<span class="badge pending" title="Approving adds these roles and delivery accounts to the existing partner">Existing partner</span>` : ''}</td>
    <td class="arn">${r.roleArns.map((arn) => html`<div class="mono small">${arn}</div>`)}</td>
    <td>${r.deliveryAccounts.join(', ')}</td>
    <td class="nowrap">${r.region}</td>
    <td class="mono small">${r.sourceBucket ?? '—'}</td>
    <td class="nowrap">${formatTime(r.createdAt)}<span class="sub">${r.requestedBy}</span></td>
    <td><div class="decision">
      <form class="inline-form" method="post" action="${base}/approve">${csrfField(ctx.csrfToken)}<button class="button primary small" type="submit" aria-label="Approve ${r.partner}">Approve</button></form>
      <form class="inline-form reject" method="post" action="${base}/reject">${csrfField(ctx.csrfToken)}
        <label class="sr-only" for="reason-${r.id}">Reason to reject ${r.partner}</label><input id="reason-${r.id}" name="reason" type="text" placeholder="Reason the partner can act on" required>
        <button class="button danger small" type="submit" aria-label="Reject ${r.partner}">Reject</button></form>
    </div></td></tr>`;
}

export async function onboardingPage(ctx: PageContext, options: { notice?: SafeHtml; form?: NewRequestForm; status?: number } = {}): Promise<{ page: SafeHtml; status?: number }> {
  const [all, partners] = await Promise.all([ctx.api.get<OnboardingJson[]>('/onboarding-requests'), ctx.api.get<PartnerJson[]>('/partners')]);
  const partnerNamed = (name: string) => partners.find((p) => p.name.toLowerCase() === name.toLowerCase());
  const pending = all.filter((r) => r.status === 'Pending');
  // After an approve/reject on this request, the navigation count must match the list below.
  ctx.pendingOnboarding = pending.length;
  const decided = all.filter((r) => r.status !== 'Pending').sort((a, b) => (b.decidedAt ?? '').localeCompare(a.decidedAt ?? ''));
  const form = options.form ?? emptyForm;
  const content = html`${pageHead('Onboarding', 'Partners ask for an access point with their IAM role ARNs, delivery accounts and region. Approving creates the access point, prefix and policies.')}
  ${options.notice ?? ''}
  <section class="card flush" aria-labelledby="pending-title"><div class="card-head"><h2 id="pending-title">Pending requests</h2><span class="muted small">${pending.length} waiting</span></div>
    ${pending.length ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Partner</th><th scope="col">IAM roles</th><th scope="col">Delivery accounts</th><th scope="col">Region</th><th scope="col">Source bucket</th><th scope="col">Requested</th><th scope="col">Decision</th></tr></thead>
      <tbody>${pending.map((r) => pendingRow(ctx, r, partnerNamed(r.partner)))}</tbody></table></div>`
      : html`<div class="empty"><p>No requests are waiting. Partners request access with <code>s3push onboard request</code>, the API, or you file one below.</p></div>`}
  </section>
  <section class="card flush" aria-labelledby="decided-title"><div class="card-head"><h2 id="decided-title">Decided</h2></div>
    ${decided.length ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Partner</th><th scope="col">Decision</th><th scope="col">When</th><th scope="col">By</th><th scope="col">Reason</th></tr></thead><tbody>
      ${decided.map((r) => html`<tr><td>${r.status === 'Approved' ? html`<a href="/partners/${encodeURIComponent(r.partner)}">${r.partner}</a>` : r.partner}<span class="sub mono">${r.id}</span></td><td>${badge(r.status, r.status === 'Approved' ? 'ingested' : 'rejected')}</td><td class="nowrap">${formatTime(r.decidedAt)}</td><td class="small">${r.decidedBy ?? ''}</td><td>${r.rejectionReason ?? ''}</td></tr>`)}
    </tbody></table></div>` : html`<div class="empty"><p>Nothing decided yet.</p></div>`}
  </section>
  <section class="card" aria-labelledby="new-title"><h2 id="new-title">File a request for a partner</h2>
    <form method="post" action="/onboarding/new">${csrfField(ctx.csrfToken)}
      <div class="grid-2">
        <div class="field"><label for="n-partner">Partner name</label><input id="n-partner" name="partner" type="text" value="${form.partner}" required></div>
        <div class="field"><label for="n-accounts">Delivery accounts (comma separated)</label><input id="n-accounts" name="deliveryAccounts" type="text" value="${form.deliveryAccounts}" required></div>
        <div class="field"><label for="n-roles">IAM role ARNs (one per line)</label><textarea id="n-roles" name="roleArns" rows="2" required>${form.roleArns}</textarea></div>
        <div class="grid-2"><div class="field"><label for="n-region">Source region</label><input id="n-region" name="region" type="text" value="${form.region}" required></div>
        <div class="field"><label for="n-bucket">Source bucket (optional)</label><input id="n-bucket" name="sourceBucket" type="text" value="${form.sourceBucket}"></div></div>
      </div>
      <button class="button" type="submit">File request</button>
    </form>
  </section>`;
  return { page: layout(ctx, { title: 'Onboarding', active: 'onboarding', content }), ...(options.status ? { status: options.status } : {}) };
}

export function formOf(form: URLSearchParams): NewRequestForm {
  const get = (n: string) => (form.get(n) ?? '').trim();
  return { partner: get('partner'), roleArns: get('roleArns'), deliveryAccounts: get('deliveryAccounts'), region: get('region'), sourceBucket: get('sourceBucket') };
}

export function rejectedNotice(partner: string): SafeHtml {
  return notice('info', html`Rejected the request from ${partner}. They see your reason when they check the request.`);
}
