// Deliveries: the filterable, sortable, keyset-paginated table (partners see their own; operators every
// partner's), CSV export of the filtered list, and live updates of the table region.
import { html, trustedHtml, type SafeHtml } from '../html.js';
import { queryString } from '../http-util.js';
import { badge, formatBytes, formatCount, mediaSummary, notice, principalCell, timeStackCell } from './format.js';
import { layout, pageHead } from './layout.js';
import type { PageContext } from './page-context.js';
import type { DeliveryJson, DeliveryPageJson, PartnerJson } from './api-types.js';

const statuses = ['Received', 'Validating', 'Accepted', 'Ingested', 'Rejected'];
const pageSizes = [25, 50, 100];
/** Earlier cursors kept in the URL for "Previous"; past this, Previous goes to the first page. */
const trailMax = 20;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

export interface DeliveryFilters {
  status: string;
  account: string;
  partner: string;
  search: string;
  from: string;
  to: string;
  sort: 'deliveredAt' | 'key' | 'size' | 'status';
  order: 'asc' | 'desc';
  limit: number;
  cursor: string;
  trail: string[];
}

export function filtersOf(query: URLSearchParams): { filters: DeliveryFilters; problems: string[] } {
  const problems: string[] = [];
  const pick = (name: string) => (query.get(name) ?? '').trim();
  const status = statuses.includes(pick('status')) ? pick('status') : '';
  const sortValue = pick('sort');
  const sort = (['deliveredAt', 'key', 'size', 'status'].includes(sortValue) ? sortValue : 'deliveredAt') as DeliveryFilters['sort'];
  const order = pick('order') === 'asc' ? 'asc' : 'desc';
  const limit = pageSizes.includes(Number(pick('limit'))) ? Number(pick('limit')) : 50;
  const date = (name: string, label: string) => {
    const value = pick(name);
    if (value && !(datePattern.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)))) {
      problems.push(`${label} must be a date (YYYY-MM-DD); it was ignored.`);
      return '';
    }
    return value;
  };
  return {
    filters: {
      status, account: pick('account').slice(0, 64), partner: pick('partner').slice(0, 64), search: pick('q').slice(0, 200),
      from: date('from', 'From'), to: date('to', 'To'), sort, order, limit,
      cursor: pick('cursor').slice(0, 512), trail: pick('trail') ? pick('trail').split('.').filter(Boolean).slice(-trailMax) : [],
    },
    problems,
  };
}

/** The API query for the filters (dates are whole UTC days; "to" includes its day). */
export function apiQueryOf(f: DeliveryFilters, withPage = true): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.status) q['status'] = f.status;
  if (f.account) q['account'] = f.account;
  if (f.partner) q['partner'] = f.partner;
  if (f.search) q['search'] = f.search;
  if (f.from) q['from'] = `${f.from}T00:00:00.000Z`;
  if (f.to) q['to'] = new Date(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000).toISOString();
  q['sort'] = f.sort;
  q['order'] = f.order;
  if (withPage) {
    q['limit'] = String(f.limit);
    if (f.cursor) q['cursor'] = f.cursor;
  }
  return q;
}

/** The page's own URL for the filters, with overrides. */
function pageUrl(f: DeliveryFilters, overrides: Partial<Record<string, string | number | undefined>> = {}): string {
  return `/deliveries${queryString({
    status: f.status, account: f.account, partner: f.partner, q: f.search, from: f.from, to: f.to,
    sort: f.sort === 'deliveredAt' ? undefined : f.sort, order: f.order === 'desc' ? undefined : f.order,
    limit: f.limit === 50 ? undefined : f.limit, cursor: f.cursor, trail: f.trail.join('.'), ...overrides,
  })}`;
}

function baseName(key: string): { name: string; folder: string } {
  const slash = key.lastIndexOf('/');
  return slash < 0 ? { name: key, folder: '' } : { name: key.slice(slash + 1), folder: key.slice(0, slash + 1) };
}

function sortHeader(f: DeliveryFilters, column: DeliveryFilters['sort'], label: string, className = ''): SafeHtml {
  const active = f.sort === column;
  const nextOrder = active && f.order === 'desc' ? 'asc' : active ? 'desc' : column === 'key' ? 'asc' : 'desc';
  const href = pageUrl(f, { sort: column === 'deliveredAt' ? undefined : column, order: nextOrder === 'desc' ? undefined : nextOrder, cursor: undefined, trail: undefined });
  const arrow = active ? (f.order === 'asc' ? '▲' : '▼') : '';
  const sortState = active ? (f.order === 'asc' ? 'ascending' : 'descending') : undefined;
  return html`<th scope="col" class="${className}"${sortState ? html` aria-sort="${sortState}"` : ''}><a href="${href}">${label}<span aria-hidden="true">${arrow}</span><span class="sr-only">${active ? `, sorted ${sortState}; activate to reverse` : ', activate to sort'}</span></a></th>`;
}

export function deliveryRow(d: DeliveryJson, showPartner: boolean): SafeHtml {
  const { name, folder } = baseName(d.key);
  const algorithms = Object.keys(d.checksums).filter((k) => k !== 'MD5');
  const media = mediaSummary(d.media);
  return html`<tr data-id="${d.id}" data-status="${d.status}">
    ${showPartner ? html`<td>${d.partner}</td>` : ''}
    <td class="file"><a href="/deliveries/${encodeURIComponent(d.id)}">${name}</a><span class="sub">${folder}${d.redelivery > 0 ? ` · redelivery R${d.redelivery}` : ''}</span></td>
    <td class="num nowrap" title="${formatCount(d.size)} bytes">${formatBytes(d.size)}</td>
    <td>${badge(d.status)}${d.supersededBy ? html` ${badge('Superseded')}` : ''}${d.rejection ? html`<span class="sub mono">${d.rejection.code}</span>` : ''}</td>
    <td class="nowrap">${timeStackCell(d.deliveredAt)}</td>
    <td>${principalCell(d.deliveredBy, d.sessionName)}</td>
    <td>${d.deliveryAccount}</td>
    <td>${d.method}</td>
    <td>${d.checksumVerified ? html`<span class="badge verified"><span class="dot" aria-hidden="true">✓</span>Verified</span><span class="sub">${algorithms.join(', ') || 'MD5'}</span>` : html`<span class="muted">Not verified</span>`}</td>
    <td class="small">${media || html`<span class="muted">—</span>`}</td>
  </tr>`;
}

function tableRegion(ctx: PageContext, f: DeliveryFilters, page: DeliveryPageJson): SafeHtml {
  const showPartner = ctx.actor.kind === 'operator';
  const pageNumber = f.trail.length + (f.cursor ? 1 : 0) + 1;
  const first = (pageNumber - 1) * f.limit + 1;
  const last = first + page.deliveries.length - 1;
  const previous = f.cursor
    ? pageUrl(f, { cursor: f.trail[f.trail.length - 1], trail: f.trail.slice(0, -1).join('.') || undefined })
    : undefined;
  const next = page.nextCursor ? pageUrl(f, { cursor: page.nextCursor, trail: [...f.trail, ...(f.cursor ? [f.cursor] : [])].slice(-trailMax).join('.') || undefined }) : undefined;
  const columns = showPartner ? 10 : 9;
  const rows = page.deliveries.length
    ? page.deliveries.map((d) => deliveryRow(d, showPartner))
    : html`<tr><td colspan="${columns}"><div class="empty"><h2>No deliveries ${f.status || f.search || f.account || f.from || f.to ? 'match these filters' : 'yet'}</h2><p>${f.status || f.search || f.account || f.from || f.to
      ? html`Change the filters or <a href="/deliveries">show every delivery</a>.`
      : ctx.actor.kind === 'partner' ? html`Copy <code>test.txt</code> to your prefix (see <a href="/access">Access</a>); it appears here within seconds.` : 'Deliveries appear here as partners copy files into their access points.'}</p></div></td></tr>`;
  return html`<section id="deliveries-table" data-live-src="${pageUrl(f, { fragment: 'table' })}" aria-label="Deliveries">
  <div class="table-wrap"><table>
    <caption class="sr-only">Deliveries, ${f.sort === 'deliveredAt' ? 'by delivery time' : `by ${f.sort}`}, ${f.order === 'asc' ? 'ascending' : 'descending'}</caption>
    <thead><tr>
      ${showPartner ? html`<th scope="col">Partner</th>` : ''}
      ${sortHeader(f, 'key', 'File')}${sortHeader(f, 'size', 'Size', 'num')}${sortHeader(f, 'status', 'Status')}${sortHeader(f, 'deliveredAt', 'Delivered at')}
      <th scope="col">Delivered by</th><th scope="col">Account</th><th scope="col">Method</th><th scope="col">Checksum</th><th scope="col">Media</th>
    </tr></thead>
    <tbody>${rows}</tbody>
  </table></div>
  <div class="pager">
    <span>${page.total === 0 ? 'No deliveries' : html`Showing <strong>${formatCount(first)}–${formatCount(last)}</strong> of <strong>${formatCount(page.total)}</strong> ${page.total === 1 ? 'delivery' : 'deliveries'}`}</span>
    <span class="actions">
      <a class="button small" href="${pageUrl(f, { cursor: undefined, trail: undefined })}"${f.cursor ? '' : trustedHtml(' aria-disabled="true" tabindex="-1"')}>First</a>
      <a class="button small" href="${previous ?? '#'}"${previous ? '' : trustedHtml(' aria-disabled="true" tabindex="-1"')} rel="prev">← Previous</a>
      <a class="button small" href="${next ?? '#'}"${next ? '' : trustedHtml(' aria-disabled="true" tabindex="-1"')} rel="next">Next →</a>
    </span>
  </div>
</section>`;
}

function filterForm(ctx: PageContext, f: DeliveryFilters, partners: PartnerJson[]): SafeHtml {
  const operator = ctx.actor.kind === 'operator';
  const accountNames = [...new Set(partners.filter((p) => !f.partner || p.name === f.partner).flatMap((p) => p.deliveryAccounts.map((a) => a.name)))].sort();
  const option = (value: string, label: string, selected: string) => html`<option value="${value}"${value === selected ? trustedHtml(' selected') : ''}>${label}</option>`;
  return html`<form class="filters" method="get" action="/deliveries" role="search" aria-label="Filter deliveries">
    <div class="field grow"><label for="f-q">Search file names</label><input id="f-q" name="q" type="search" value="${f.search}" placeholder="e.g. Feature_R1 or .mxf"></div>
    <div class="field f-status"><label for="f-status">Status</label><select id="f-status" name="status">${option('', 'Any status', f.status)}${statuses.map((s) => option(s, s, f.status))}</select></div>
    ${operator ? html`<div class="field f-partner"><label for="f-partner">Partner</label><select id="f-partner" name="partner">${option('', 'All partners', f.partner)}${partners.map((p) => option(p.name, p.name, f.partner))}</select></div>` : ''}
    <div class="field f-account"><label for="f-account">Delivery account</label><select id="f-account" name="account">${option('', 'All accounts', f.account)}${accountNames.map((a) => option(a, a, f.account))}</select></div>
    <div class="field f-date"><label for="f-from">From</label><input id="f-from" name="from" type="date" value="${f.from}"></div>
    <div class="field f-date"><label for="f-to">To</label><input id="f-to" name="to" type="date" value="${f.to}"></div>
    <div class="field f-limit"><label for="f-limit">Per page</label><select id="f-limit" name="limit">${pageSizes.map((n) => option(String(n), String(n), String(f.limit)))}</select></div>
    ${f.sort !== 'deliveredAt' ? html`<input type="hidden" name="sort" value="${f.sort}">` : ''}${f.order !== 'desc' ? html`<input type="hidden" name="order" value="${f.order}">` : ''}
    <div class="field actions"><button class="button primary" type="submit">Apply</button><a class="button" href="/deliveries">Reset</a></div>
  </form>`;
}

export async function deliveriesPage(ctx: PageContext): Promise<{ page: SafeHtml; fragment?: boolean }> {
  const { filters, problems } = filtersOf(ctx.request.query);
  const page = await ctx.api.get<DeliveryPageJson>('/deliveries', apiQueryOf(filters));
  if (ctx.request.query.get('fragment') === 'table') return { page: tableRegion(ctx, filters, page), fragment: true };
  const partners = await ctx.api.get<PartnerJson[]>('/partners');
  const csvHref = `/api/v1/deliveries.csv${queryString(apiQueryOf(filters, false))}`;
  const subtitle = ctx.actor.kind === 'operator'
    ? 'Every delivery from every partner, newest first. New deliveries and status changes appear live.'
    : 'Every file delivered to your access point, newest first. New deliveries and status changes appear live.';
  const content = html`${pageHead('Deliveries', subtitle, html`<a class="button" href="${csvHref}" download="deliveries.csv">⬇ Export CSV</a>`)}
  ${problems.map((p) => notice('warn', p))}
  <div class="card flush">
    ${filterForm(ctx, filters, partners)}
    ${tableRegion(ctx, filters, page)}
  </div>`;
  return { page: layout(ctx, { title: 'Deliveries', active: 'deliveries', content, live: true }) };
}
