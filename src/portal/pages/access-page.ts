// Access: the partner's access point (ARN, alias, prefix), the IAM policy for its delivery role, ready
// commands (AWS CLI, boto3, JavaScript), the connection status that turns green when test.txt arrives, and
// the "explain access" form backed by the policy explainer. Operators see the same for any partner.
import { html, trustedHtml, type SafeHtml } from '../html.js';
import { badge, codeBlock, copyable, csrfField, formatTime, notice } from './format.js';
import { layout, pageHead } from './layout.js';
import type { PageContext } from './page-context.js';
import type { ExplainJson, PartnerDetailJson, PartnerJson } from './api-types.js';

export const explainActions = [
  's3:PutObject', 's3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts', 's3:ListBucketMultipartUploads', 's3:PutObjectTagging', 's3:DeleteObject',
];

export interface ExplainForm {
  principal: string;
  action: string;
  resource: string;
  result?: ExplainJson | undefined;
  error?: string | undefined;
}

/** Where a partner's pages live: its own /access, or /partners/NAME for operators. */
export function accessBase(ctx: PageContext, partner: string): string {
  return ctx.actor.kind === 'operator' ? `/partners/${encodeURIComponent(partner)}` : '/access';
}

export function connectionRegion(ctx: PageContext, p: PartnerJson): SafeHtml {
  const base = accessBase(ctx, p.name);
  const allVerified = p.deliveryAccounts.length > 0 && p.deliveryAccounts.every((a) => a.verified);
  const rows = p.deliveryAccounts.map((a, i) => {
    const target = i === 0 ? `${p.prefix}/test.txt` : `${p.prefix}/${a.name}/test.txt`;
    return a.verified
      ? html`<div class="conn verified" data-account="${a.name}"><span class="light" aria-hidden="true"></span><div><strong>${a.name}: connection verified</strong>
          <span class="small">test.txt arrived ${formatTime(a.verifiedAt)} from <span class="mono">${a.verifiedBy ?? ''}</span></span></div></div>`
      : html`<div class="conn waiting" data-account="${a.name}"><span class="light" aria-hidden="true"></span><div><strong>${a.name}: waiting for test.txt</strong>
          <span class="small">Copy a small <code>test.txt</code> to <code>${target}</code> through the access point; this turns green within seconds.</span></div></div>`;
  });
  return html`<section id="connection" class="card" data-live-src="${base}?fragment=connection" data-live-announce="${allVerified ? 'Connection verified' : ''}" aria-labelledby="connection-title">
    <div class="page-head"><h2 id="connection-title">Connection status</h2>${allVerified ? badge('Verified', 'verified') : badge('Pending', 'pending')}</div>
    ${rows.length ? rows : html`<p class="muted">No delivery accounts yet.</p>`}
  </section>`;
}

function explainCard(ctx: PageContext, p: PartnerDetailJson, form: ExplainForm): SafeHtml {
  const base = accessBase(ctx, p.name);
  const decisionKind = form.result?.decision === 'Allow' ? 'ok' : form.result?.decision === 'ExplicitDeny' ? 'bad' : 'warn';
  const principalOptions = p.roleArns.map((arn) => html`<option value="${arn}"${arn === form.principal ? trustedHtml(' selected') : ''}>${arn}</option>`);
  return html`<section class="card" id="explain" aria-labelledby="explain-title">
    <h2 id="explain-title">Explain access</h2>
    <p class="small muted">Got <code>AccessDenied</code>? Ask why: the platform evaluates the same policies it enforces (your role's IAM policy, the access point policy, the bucket policy) and says which statement decided.</p>
    <form method="post" action="${base}/explain#explain">${csrfField(ctx.csrfToken)}
      <div class="grid-3">
        <div class="field"><label for="x-principal">Role</label>${p.roleArns.length
          ? html`<select id="x-principal" name="principal">${principalOptions}</select>`
          : html`<input id="x-principal" name="principal" type="text" value="${form.principal}" required>`}</div>
        <div class="field"><label for="x-action">Action</label><select id="x-action" name="action">${explainActions.map((a) => html`<option${a === form.action ? trustedHtml(' selected') : ''}>${a}</option>`)}</select></div>
        <div class="field"><label for="x-resource">Resource ARN</label><input id="x-resource" name="resource" type="text" value="${form.resource}" required></div>
      </div>
      <button class="button primary" type="submit">Explain</button>
    </form>
    ${form.error ? html`<div class="card-gap"></div>${notice('bad', form.error)}` : ''}
    ${form.result ? html`<div class="card-gap"></div>${notice(decisionKind, html`<strong>${form.result.decision === 'Allow' ? 'Allowed' : form.result.decision === 'ExplicitDeny' ? 'Denied by an explicit Deny' : 'Denied: no policy allows it'}</strong>${form.result.reason ? html` — ${form.result.reason}` : ''}`)}
      <pre class="code wrap" aria-label="Explanation">${form.result.explanation}</pre>` : ''}
  </section>`;
}

export function accessContent(ctx: PageContext, p: PartnerDetailJson, form: ExplainForm): SafeHtml {
  const policyJson = JSON.stringify(p.policy, null, 2);
  return html`
  ${p.status !== 'Active' ? notice('warn', html`Delivery is revoked for ${p.name}: no role may deliver until an operator restores one.`) : ''}
  ${connectionRegion(ctx, p)}
  <div class="grid-2">
    <section class="card" aria-labelledby="ap-title"><h2 id="ap-title">Access point</h2>
      <dl class="kv">
        <dt>Access point ARN</dt><dd>${copyable('ap-arn', p.accessPointArn, 'access point ARN')}</dd>
        <dt>Alias</dt><dd>${copyable('ap-alias', p.alias, 'alias')}</dd>
        <dt>Prefix</dt><dd>${copyable('ap-prefix', `${p.prefix}/`, 'prefix')}</dd>
        <dt>Region</dt><dd>${p.region}</dd>
        <dt>Delivery roles</dt><dd>${p.roleArns.length ? p.roleArns.map((arn) => html`<div class="mono small">${arn}</div>`) : html`<span class="muted">none (revoked)</span>`}</dd>
        <dt>Source buckets</dt><dd>${p.sourceBuckets.length ? p.sourceBuckets.join(', ') : html`<span class="muted">none given</span>`}</dd>
      </dl>
      <p class="small muted">Use the alias as the bucket name in tools that do not accept access point ARNs (rclone, s5cmd, many SDK helpers). Deliver under your prefix only.</p>
    </section>
    <section class="card" aria-labelledby="policy-title">
      ${codeBlock('iam-policy', 'IAM policy for your delivery role', policyJson)}
      <p class="small muted">Attach it to the role, for example <code>aws iam put-role-policy --role-name ROLE --policy-name s3push-delivery --policy-document file://policy.json</code>.</p>
      <span id="policy-title" class="sr-only">IAM policy</span>
    </section>
  </div>
  <section class="card" aria-labelledby="commands-title"><h2 id="commands-title">Ready commands</h2>
    <p class="small muted">Assume your delivery role first; these copy <code>test.txt</code> from your source bucket into your prefix.</p>
    ${codeBlock('cmd-cli', 'AWS CLI', p.commands.cli)}
    ${codeBlock('cmd-boto3', 'Python (boto3)', p.commands.boto3)}
    ${codeBlock('cmd-js', 'JavaScript (AWS SDK v3)', p.commands.js)}
  </section>
  ${explainCard(ctx, p, form)}`;
}

export function defaultExplainForm(p: PartnerJson): ExplainForm {
  return { principal: p.roleArns[0] ?? '', action: 's3:PutObject', resource: `${p.accessPointArn}/object/${p.prefix}/test.txt` };
}

/** The partner user's own partner (the only one the API lists for it). */
export async function ownPartner(ctx: PageContext): Promise<PartnerJson | undefined> {
  return (await ctx.api.get<PartnerJson[]>('/partners'))[0];
}

export async function accessPage(ctx: PageContext, form?: ExplainForm, status = 200): Promise<{ page: SafeHtml; fragment?: boolean; status?: number }> {
  const own = await ownPartner(ctx);
  if (!own) {
    return { page: layout(ctx, { title: 'Access', active: 'access', content: html`${pageHead('Access')}<div class="card empty"><h2>No access yet</h2><p>Your partner has no access point yet. It is created when an operator approves your onboarding request.</p></div>` }) };
  }
  const p = await ctx.api.get<PartnerDetailJson>(`/partners/${encodeURIComponent(own.name)}`);
  if (ctx.request.query.get('fragment') === 'connection') return { page: connectionRegion(ctx, p), fragment: true };
  const content = html`${pageHead('Access', html`How ${p.name} delivers: your access point, the policy for your role, and ready commands.`)}${accessContent(ctx, p, form ?? defaultExplainForm(p))}`;
  return { page: layout(ctx, { title: 'Access', active: 'access', content, live: true }), status };
}

/** Runs the explainer through the JSON API and renders the result in the form. */
export async function runExplain(ctx: PageContext, form: URLSearchParams): Promise<ExplainForm> {
  const explain: ExplainForm = { principal: (form.get('principal') ?? '').trim(), action: (form.get('action') ?? '').trim(), resource: (form.get('resource') ?? '').trim() };
  try {
    explain.result = await ctx.api.send<ExplainJson>('POST', '/explain', { principal: explain.principal, action: explain.action, resource: explain.resource });
  } catch (error) {
    explain.error = error instanceof Error ? apiMessage(error.message) : 'The explainer failed.';
  }
  return explain;
}

/** The message of a JSON API error body (`{"error":{"message":…}}`), or the text as is. */
export function apiMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string } };
    if (parsed.error?.message) return parsed.error.message;
  } catch {
    // not JSON: the message itself
  }
  return text;
}
