// The operator dashboard: deliveries and bytes per day (an SVG chart), failures by error code, status counts,
// storage used per partner and the slowest validations among recent deliveries.
import { html, type SafeHtml } from '../html.js';
import { badge, formatBytes, formatCount, formatDuration } from './format.js';
import { layout, pageHead } from './layout.js';
import { dailyChart, fillDays, shareBar } from './svg-chart.js';
import type { PageContext } from './page-context.js';
import type { DashboardJson, StatsJson } from './api-types.js';

const windowDays = 30;

function stat(label: string, value: string, hint: SafeHtml | string): SafeHtml {
  return html`<div class="stat"><div class="label">${label}</div><div class="value">${value}</div><div class="hint">${hint}</div></div>`;
}

export async function dashboardPage(ctx: PageContext, nowMs: number): Promise<SafeHtml> {
  const [stats, dashboard] = await Promise.all([
    ctx.api.get<StatsJson>('/stats', { days: String(windowDays) }),
    ctx.api.get<DashboardJson>('/dashboard'),
  ]);
  const lastDay = new Date(nowMs).toISOString().slice(0, 10);
  const firstDay = new Date(nowMs - (windowDays - 1) * 86_400_000).toISOString().slice(0, 10);
  const days = fillDays(stats.days, firstDay, lastDay);
  const deliveries = days.reduce((n, d) => n + d.deliveries, 0);
  const bytes = days.reduce((n, d) => n + d.bytes, 0);
  const rejected = stats.byStatus['Rejected'] ?? 0;
  const codes = Object.entries(stats.byCode).sort((a, b) => b[1] - a[1]);
  const maxCode = codes[0]?.[1] ?? 0;
  const statusOrder = ['Received', 'Validating', 'Accepted', 'Ingested', 'Rejected'];

  const content = html`${pageHead('Dashboard', `The delivery flow over the last ${windowDays} days (UTC).`)}
  <div class="grid-4">
    ${stat(`Deliveries · ${windowDays} days`, formatCount(deliveries), `${formatCount(stats.byStatus['Ingested'] ?? 0)} ingested`)}
    ${stat(`Delivered · ${windowDays} days`, formatBytes(bytes), 'bytes received')}
    ${stat(`Rejected · ${windowDays} days`, formatCount(rejected), deliveries ? `${((rejected / deliveries) * 100).toFixed(1)} % of deliveries` : 'no deliveries')}
    ${stat('Storage used', formatBytes(dashboard.storage.bytes), `${formatCount(dashboard.storage.deliveries)} delivered versions kept`)}
  </div>
  <div class="card-gap"></div>
  <section class="card" aria-labelledby="chart-title">
    <div class="page-head"><h2 id="chart-title">Deliveries and bytes per day</h2><div class="legend"><span><span class="swatch bars"></span>Deliveries (left axis)</span><span><span class="swatch line"></span>Bytes (right axis)</span></div></div>
    ${dailyChart(days, 'chart-title')}
    <details class="small"><summary>Show the numbers</summary><div class="table-wrap"><table><thead><tr><th scope="col">Day</th><th scope="col" class="num">Deliveries</th><th scope="col" class="num">Bytes</th></tr></thead>
      <tbody>${days.filter((d) => d.deliveries > 0).map((d) => html`<tr><td>${d.day}</td><td class="num">${formatCount(d.deliveries)}</td><td class="num">${formatBytes(d.bytes)}</td></tr>`)}</tbody></table></div></details>
  </section>
  <div class="grid-2">
    <section class="card flush" aria-labelledby="codes-title"><div class="card-head"><h2 id="codes-title">Failures by error code</h2><span class="muted small">${windowDays} days</span></div>
      ${codes.length ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Code</th><th scope="col" class="num">Deliveries</th><th scope="col"><span class="sr-only">Share</span></th></tr></thead><tbody>
        ${codes.map(([code, n]) => html`<tr><td class="mono">${code}</td><td class="num">${formatCount(n)}</td><td>${shareBar(n, maxCode, `${n} of ${maxCode}`)}</td></tr>`)}
      </tbody></table></div>` : html`<div class="empty"><p>No rejected deliveries in ${windowDays} days.</p></div>`}
    </section>
    <section class="card flush" aria-labelledby="status-title"><div class="card-head"><h2 id="status-title">Deliveries by status</h2><span class="muted small">${windowDays} days</span></div>
      <div class="table-wrap"><table><tbody>${statusOrder.map((s) => html`<tr><td>${badge(s)}</td><td class="num">${formatCount(stats.byStatus[s] ?? 0)}</td><td><a href="/deliveries?status=${s}">Show</a></td></tr>`)}</tbody></table></div>
    </section>
  </div>
  <div class="grid-2">
    <section class="card flush" aria-labelledby="slow-title"><div class="card-head"><h2 id="slow-title">Slowest validations</h2><span class="muted small">among the last ${formatCount(dashboard.sampledDeliveries)} deliveries</span></div>
      ${dashboard.slowestValidations.length ? html`<div class="table-wrap"><table><thead><tr><th scope="col">File</th><th scope="col" class="num">Size</th><th scope="col" class="num">Validation</th><th scope="col">Slowest step</th></tr></thead><tbody>
        ${dashboard.slowestValidations.map((v) => html`<tr><td class="file"><a href="/deliveries/${encodeURIComponent(v.id)}">${v.key.slice(v.key.lastIndexOf('/') + 1)}</a><span class="sub">${v.partner}</span></td><td class="num">${formatBytes(v.size)}</td><td class="num">${formatDuration(v.durationMs)}</td><td>${v.slowestValidator} <span class="muted">${formatDuration(v.slowestValidatorMs)}</span></td></tr>`)}
      </tbody></table></div>` : html`<div class="empty"><p>No validated deliveries yet.</p></div>`}
    </section>
    <section class="card flush" aria-labelledby="storage-title"><div class="card-head"><h2 id="storage-title">Storage by partner</h2><span class="muted small">all delivered versions</span></div>
      ${dashboard.storage.byPartner.length ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Partner</th><th scope="col" class="num">Versions</th><th scope="col" class="num">Storage</th></tr></thead><tbody>
        ${dashboard.storage.byPartner.map((p) => html`<tr><td><a href="/partners/${encodeURIComponent(p.partner)}">${p.partner}</a></td><td class="num">${formatCount(p.deliveries)}</td><td class="num">${formatBytes(p.bytes)}</td></tr>`)}
      </tbody></table></div>` : html`<div class="empty"><p>No partners yet.</p></div>`}
    </section>
  </div>`;
  return layout(ctx, { title: 'Dashboard', active: 'dashboard', content });
}
