// One delivery: rejection (code, cause, fix), summary, status timeline, validation results, checksums, media
// information, copy source, and every version and redelivery of the same file. Refreshes live.
import { html, type SafeHtml } from '../html.js';
import { badge, formatBytes, formatCount, formatDuration, formatTime, mediaSummary, notice, principalCell, principalText, timeCell } from './format.js';
import { layout } from './layout.js';
import type { PageContext } from './page-context.js';
import type { DeliveryDetailJson } from './api-types.js';

interface Issue { code: string; cause: string; fix: string }

function issueBlock(issue: Issue): SafeHtml {
  return html`<div class="issue"><span class="code">${issue.code}</span><dl><dt>Cause</dt><dd>${issue.cause}</dd><dt>Fix</dt><dd>${issue.fix}</dd></dl></div>`;
}

function detailValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function validationsCard(d: DeliveryDetailJson): SafeHtml {
  if (d.validations.length === 0) {
    return html`<div class="card"><h2>Validation results</h2><p class="muted">${d.status === 'Received' || d.status === 'Validating' ? 'Validation is running; results appear here when it finishes.' : 'No validator applied to this file.'}</p></div>`;
  }
  const rows = d.validations.map((v) => {
    const details = v.details ? Object.entries(v.details).filter(([k]) => k !== 'summary').slice(0, 8) : [];
    return html`<tr>
      <td class="nowrap"><strong>${v.validator}</strong></td>
      <td>${badge(v.outcome)}</td>
      <td class="num nowrap">${formatDuration(v.durationMs)}</td>
      <td>${v.issues.length ? v.issues.map(issueBlock) : details.length ? html`<span class="small muted">${details.map(([k, value], i) => html`${i ? ' · ' : ''}${k}: ${detailValue(value)}`)}</span>` : html`<span class="muted">—</span>`}</td>
    </tr>`;
  });
  return html`<div class="card flush"><div class="card-head"><h2>Validation results</h2><span class="muted small">${d.validations.length} validators · ${formatDuration(d.validations.reduce((n, v) => n + v.durationMs, 0))} in all</span></div>
    <div class="table-wrap"><table><thead><tr><th scope="col">Validator</th><th scope="col">Outcome</th><th scope="col" class="num">Time</th><th scope="col">Error code, cause and fix / details</th></tr></thead><tbody>${rows}</tbody></table></div></div>`;
}

function mediaCard(d: DeliveryDetailJson): SafeHtml {
  if (!d.media) return html`<div class="card"><h2>Media information</h2><p class="muted">No media information: the file is not audio, video or an image, or it was not probed.</p></div>`;
  const m = d.media as { video?: Record<string, unknown>[]; audio?: Record<string, unknown>[]; images?: Record<string, unknown>[]; [k: string]: unknown };
  const top = Object.entries(m).filter(([, v]) => !Array.isArray(v) && v !== undefined);
  const tracks = (name: string, list: Record<string, unknown>[] | undefined) => (list ?? []).map((track, i) => html`<h3>${name} ${i + 1}</h3><dl class="kv">${Object.entries(track).map(([k, v]) => html`<dt>${k}</dt><dd>${detailValue(v)}</dd>`)}</dl>`);
  return html`<div class="card"><h2>Media information</h2><p><strong>${mediaSummary(d.media)}</strong></p>
    <dl class="kv">${top.map(([k, v]) => html`<dt>${k}</dt><dd>${detailValue(v)}</dd>`)}</dl>
    ${tracks('Video', m.video)}${tracks('Audio', m.audio)}${tracks('Image', m.images)}</div>`;
}

function versionsCard(d: DeliveryDetailJson): SafeHtml {
  const related = !d.supersedes && !d.supersededBy ? '' : html`<div class="card-body">${d.supersedes ? html`<p>This redelivery supersedes <a href="/deliveries/${encodeURIComponent(d.supersedes)}">an earlier delivery</a>.</p>` : ''}
    ${d.supersededBy ? notice('info', html`A newer redelivery supersedes this file: <a href="/deliveries/${encodeURIComponent(d.supersededBy)}">open the redelivery</a>.`) : ''}</div>`;
  const rows = d.versions.map((v) => html`<tr data-id="${v.id}" data-status="${v.status}">
    <td>${v.id === d.id ? html`<strong>This delivery</strong>` : html`<a href="/deliveries/${encodeURIComponent(v.id)}">Open</a>`}</td>
    <td class="mono small">${v.versionId}</td><td class="num">${formatBytes(v.size)}</td><td>${badge(v.status)}${v.supersededBy ? html` ${badge('Superseded')}` : ''}</td>
    <td class="nowrap">${timeCell(v.deliveredAt)}</td><td>${principalCell(v.deliveredBy, v.sessionName)}</td></tr>`);
  return html`<div class="card flush"><div class="card-head"><h2>Versions and redeliveries</h2><span class="muted small">${d.versions.length} ${d.versions.length === 1 ? 'version' : 'versions'} of this key</span></div>
    ${related}
    <div class="table-wrap"><table><thead><tr><th scope="col"></th><th scope="col">Version ID</th><th scope="col" class="num">Size</th><th scope="col">Status</th><th scope="col">Delivered at</th><th scope="col">Delivered by</th></tr></thead><tbody>${rows}</tbody></table></div></div>`;
}

export function detailRegion(d: DeliveryDetailJson): SafeHtml {
  const name = d.key.slice(d.key.lastIndexOf('/') + 1);
  const checksumRows = Object.entries(d.checksums).map(([algorithm, value]) => html`<tr><th scope="row">${algorithm}</th><td class="mono small">${value}</td></tr>`);
  return html`<div id="delivery-detail" data-live-src="/deliveries/${encodeURIComponent(d.id)}?fragment=detail" data-live-ids="${d.id} key:${d.key}">
  <nav class="small muted" aria-label="Breadcrumb"><a href="/deliveries">Deliveries</a> / ${d.key}</nav>
  <div class="page-head"><div><h1>${name}</h1><p>${badge(d.status)}${d.supersededBy ? html` ${badge('Superseded')}` : ''} <span class="muted">delivered ${formatTime(d.deliveredAt)} by ${principalText(d.deliveredBy, d.sessionName)}</span></p></div></div>
  ${d.rejection ? html`<div class="card"><h2>Why this file was rejected</h2>${issueBlock(d.rejection)}<p class="small muted">Fix the file and deliver it again; a redelivery named with <code>_R1</code>, <code>_R2</code>… supersedes this one.</p></div>` : ''}
  <div class="grid-2">
    <div class="card"><h2>Summary</h2><dl class="kv">
      <dt>Partner</dt><dd>${d.partner}</dd>
      <dt>Delivery account</dt><dd>${d.deliveryAccount}</dd>
      <dt>Key</dt><dd class="mono">${d.key}</dd>
      <dt>Bucket</dt><dd class="mono">${d.bucket}</dd>
      <dt>Version ID</dt><dd class="mono">${d.versionId}</dd>
      <dt>Size</dt><dd>${formatBytes(d.size)} <span class="muted">(${formatCount(d.size)} ${d.size === 1 ? 'byte' : 'bytes'})</span></dd>
      <dt>Content type</dt><dd>${d.contentType ?? '—'}</dd>
      <dt>Method</dt><dd>${d.method}</dd>
      <dt>Delivered by</dt><dd class="mono small">${d.deliveredBy}</dd>
      <dt>Session</dt><dd>${d.sessionName ?? '—'}</dd>
      <dt>Copy source</dt><dd class="mono small">${d.copySource ? `${d.copySource.bucket}/${d.copySource.key}${d.copySource.versionId && d.copySource.versionId !== 'null' ? ` (version ${d.copySource.versionId})` : ' (unversioned source)'}` : '— (uploaded, not copied)'}</dd>
      <dt>ETag</dt><dd class="mono small">${d.etag}</dd>
      <dt>Redelivery</dt><dd>${d.redelivery > 0 ? `R${d.redelivery}` : 'first delivery'}</dd>
      <dt>Last update</dt><dd>${formatTime(d.updatedAt)}</dd>
    </dl></div>
    <div class="card"><h2>Status timeline</h2><ol class="timeline">${d.history.map((h) => html`<li><span class="mark ${h.status.toLowerCase()}" aria-hidden="true"></span>${badge(h.status)} <span class="when">${timeCell(h.at)}</span><div class="note">${h.note}</div></li>`)}</ol></div>
  </div>
  ${validationsCard(d)}
  <div class="grid-2">
    <div class="card"><h2>Checksums</h2>${checksumRows.length
      ? html`<p class="small">${d.checksumVerified ? html`<span class="badge verified"><span class="dot" aria-hidden="true">✓</span>Verified</span> The bytes were checked against these checksums.` : html`<span class="muted">Not verified: send an additional checksum (CRC32, CRC32C, CRC64NVME, SHA-1, SHA-256) or a sidecar to have the bytes checked.</span>`}</p><div class="table-wrap"><table><tbody>${checksumRows}</tbody></table></div>`
      : html`<p class="muted">No checksum was sent with this file.</p>`}</div>
    ${mediaCard(d)}
  </div>
  ${versionsCard(d)}
</div>`;
}

export async function deliveryDetailPage(ctx: PageContext, id: string): Promise<{ page: SafeHtml; fragment?: boolean }> {
  const d = await ctx.api.get<DeliveryDetailJson>(`/deliveries/${encodeURIComponent(id)}`);
  if (ctx.request.query.get('fragment') === 'detail') return { page: detailRegion(d), fragment: true };
  return { page: layout(ctx, { title: d.key.slice(d.key.lastIndexOf('/') + 1), active: 'deliveries', content: detailRegion(d), live: true }) };
}
