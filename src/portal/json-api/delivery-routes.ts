// JSON API routes for deliveries: filtered, sorted, keyset-paginated lists, detail with history and versions,
// CSV export (streamed page by page) and dashboard statistics. Partners see only their own deliveries.
import { S3Error } from '../../core/errors.js';
import { jsonResponse, type JsonRequest } from '../../api/json-api.js';
import type { DeliveryQuery, DeliveryStatus } from '../../storage/delivery-store.js';
import type { JsonContext } from './json-context.js';
import type { Route } from './router.js';
import { visiblePartner } from './platform-routes.js';
import { deliveryDetailView, deliveryView } from './views.js';

const statuses = new Set<DeliveryStatus>(['Received', 'Validating', 'Accepted', 'Ingested', 'Rejected']);
const sorts = new Set(['deliveredAt', 'key', 'size', 'status']);
export const deliveryPageMax = 500;
const csvPageSize = 500;

function parseTime(value: string | null, name: string): number | undefined {
  if (value === null || value === '') return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new S3Error('InvalidArgument', `${name} must be a date (ISO-8601).`);
  return ms;
}

/** Query parameters → store query, with the partner scope applied for partner actors. */
export async function deliveryQueryOf(app: JsonContext, request: JsonRequest): Promise<DeliveryQuery> {
  const q = request.query;
  const partnerName = q.get('partner');
  let partnerId = request.actor.kind === 'partner' ? request.actor.partnerId : undefined;
  if (partnerName) partnerId = (await visiblePartner(app, request, partnerName)).id;
  const status = q.get('status');
  if (status && !statuses.has(status as DeliveryStatus)) throw new S3Error('InvalidArgument', `status must be one of ${[...statuses].join(', ')}.`);
  const sort = q.get('sort') ?? 'deliveredAt';
  if (!sorts.has(sort)) throw new S3Error('InvalidArgument', `sort must be one of ${[...sorts].join(', ')}.`);
  const order = q.get('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw new S3Error('InvalidArgument', 'order must be asc or desc.');
  const limit = Number(q.get('limit') ?? '50');
  if (!Number.isInteger(limit) || limit < 1 || limit > deliveryPageMax) throw new S3Error('InvalidArgument', `limit must be 1-${deliveryPageMax}.`);
  return {
    partnerId,
    ...(status ? { status: status as DeliveryStatus } : {}),
    ...(q.get('account') ? { deliveryAccount: q.get('account')! } : {}),
    ...(q.get('search') ? { search: q.get('search')! } : {}),
    fromMs: parseTime(q.get('from'), 'from'),
    toMs: parseTime(q.get('to'), 'to'),
    sort: sort as DeliveryQuery['sort'],
    order,
    ...(q.get('cursor') ? { cursor: q.get('cursor')! } : {}),
    limit,
  };
}

const csvColumns = ['id', 'partner', 'deliveryAccount', 'key', 'versionId', 'size', 'status', 'rejectionCode', 'deliveredAt', 'deliveredBy', 'method', 'etag'] as const;

function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  // Leading =, +, - or @ would be formulas in spreadsheets: prefix a quote (OWASP CSV injection advice).
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function deliveryRoutes(app: JsonContext): Route[] {
  const store = app.delivery.deliveries;
  return [
    {
      method: 'GET', pattern: '/deliveries', access: 'any', summary: 'Deliveries (filters: partner, status, account, search, from, to; sort, order, cursor, limit)',
      handler: async (request) => {
        const page = await store.queryDeliveries(await deliveryQueryOf(app, request));
        return jsonResponse({ deliveries: page.deliveries.map(deliveryView), total: page.total, nextCursor: page.nextCursor ?? null });
      },
    },
    {
      method: 'GET', pattern: '/deliveries.csv', access: 'any', summary: 'The same list as CSV (every page)',
      handler: async (request) => {
        const query = { ...(await deliveryQueryOf(app, request)), limit: csvPageSize };
        delete query.cursor;
        async function* rows(): AsyncGenerator<Buffer> {
          yield Buffer.from(csvColumns.join(',') + '\n');
          let cursor: string | undefined;
          do {
            const page = await store.queryDeliveries({ ...query, ...(cursor ? { cursor } : {}) });
            const lines = page.deliveries.map((d) => {
              const v = deliveryView(d);
              const values: Record<(typeof csvColumns)[number], unknown> = { ...v, rejectionCode: v.rejection?.code ?? '' };
              return csvColumns.map((c) => csvField(values[c])).join(',');
            });
            if (lines.length) yield Buffer.from(lines.join('\n') + '\n');
            cursor = page.nextCursor;
          } while (cursor);
        }
        return { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="deliveries.csv"' }, body: rows() };
      },
    },
    {
      method: 'GET', pattern: '/deliveries/:id', access: 'any', summary: 'One delivery: status timeline, validations, checksums, media, copy source, versions',
      handler: async (request, params) => {
        const record = await store.getDelivery(params['id']!);
        if (!record || (request.actor.kind === 'partner' && request.actor.partnerId !== record.partnerId)) throw new S3Error('NotFound', `No delivery ${params['id']}.`);
        const [history, versions] = await Promise.all([store.deliveryHistory(record.id), store.deliveriesOfKey(record.partnerId, record.key)]);
        return jsonResponse({
          ...deliveryDetailView(record),
          history: history.map((h) => ({ at: new Date(h.atMs).toISOString(), status: h.status, note: h.note })),
          versions: versions.map(deliveryView),
        });
      },
    },
    {
      method: 'GET', pattern: '/stats', access: 'any', summary: 'Deliveries and bytes per day, counts by status and rejection code (?partner, ?days)',
      handler: async (request) => {
        const days = Number(request.query.get('days') ?? '30');
        if (!Number.isInteger(days) || days < 1 || days > 366) throw new S3Error('InvalidArgument', 'days must be 1-366.');
        const partnerName = request.query.get('partner');
        const partnerId = partnerName ? (await visiblePartner(app, request, partnerName)).id : request.actor.kind === 'partner' ? request.actor.partnerId : undefined;
        const sinceMs = app.services.clock.nowMs() - days * 86_400_000;
        return jsonResponse(await store.deliveryStats(partnerId, sinceMs));
      },
    },
  ];
}
