// Delivery records, their history, the ingest cursors, keyset-paginated queries and dashboard counts (SQLite).
import type Database from 'better-sqlite3';
import { limits } from '../../core/limits.js';
import {
  DeliveryConflict, type DeliveryHistoryEntry, type DeliveryPage, type DeliveryQuery, type DeliveryRecord,
} from '../delivery-store.js';

const dayMs = 86_400_000;
const sortColumns = { deliveredAt: 'delivered_ms', key: 'key', size: 'size_bytes', status: 'status' } as const;

function prepareStatements(db: Database.Database) {
  return {
    selectCursor: db.prepare('SELECT sequence FROM ingest_cursors WHERE consumer = ?').pluck(),
    upsertCursor: db.prepare(`INSERT INTO ingest_cursors (consumer, sequence) VALUES (?, ?)
      ON CONFLICT (consumer) DO UPDATE SET sequence = excluded.sequence`),
    insertDelivery: db.prepare(`INSERT OR IGNORE INTO deliveries (id, partner_id, delivery_account, bucket, key, version_id, size_bytes, status, rejection_code, delivered_ms, superseded, body)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    updateDelivery: db.prepare('UPDATE deliveries SET status = ?, rejection_code = ?, superseded = ?, body = ? WHERE id = ?'),
    selectDelivery: db.prepare('SELECT body FROM deliveries WHERE id = ?').pluck(),
    selectCurrent: db.prepare('SELECT body FROM deliveries WHERE partner_id = ? AND key = ? AND superseded = 0 ORDER BY delivered_ms DESC, id DESC LIMIT 1').pluck(),
    selectOfKey: db.prepare('SELECT body FROM deliveries WHERE partner_id = ? AND key = ? ORDER BY delivered_ms DESC, id DESC').pluck(),
    selectUnfinished: db.prepare("SELECT body FROM deliveries WHERE status IN ('Received', 'Validating', 'Accepted') ORDER BY delivered_ms LIMIT ?").pluck(),
    insertHistory: db.prepare(`INSERT INTO delivery_history (delivery_id, seq, at_ms, status, note)
      VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM delivery_history WHERE delivery_id = ?), ?, ?, ?)`),
    selectHistory: db.prepare('SELECT delivery_id, at_ms, status, note FROM delivery_history WHERE delivery_id = ? ORDER BY seq'),
    selectCounted: db.prepare('SELECT partner_id, delivered_ms, size_bytes, status, rejection_code FROM deliveries WHERE id = ?'),
    addToDayCounts: db.prepare(`INSERT INTO delivery_day_counts (day, partner_id, status, code, deliveries, bytes) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (day, partner_id, status, code) DO UPDATE SET deliveries = deliveries + excluded.deliveries, bytes = bytes + excluded.bytes`),
    // Both read the covering index deliveries_by_size: 10 ms at 100,000 rows, against 245 ms for summing stats() by day.
    storageByPartner: db.prepare('SELECT partner_id AS partnerId, count(*) AS deliveries, coalesce(sum(size_bytes), 0) AS bytes FROM deliveries GROUP BY partner_id'),
    storageOfPartner: db.prepare('SELECT partner_id AS partnerId, count(*) AS deliveries, coalesce(sum(size_bytes), 0) AS bytes FROM deliveries WHERE partner_id = ? GROUP BY partner_id'),
  };
}

export class SqliteDeliveries {
  private readonly statements: ReturnType<typeof prepareStatements>;

  constructor(private readonly db: Database.Database) {
    this.statements = prepareStatements(db);
  }

  cursor(consumer: string): number {
    return (this.statements.selectCursor.get(consumer) as number | undefined) ?? 0;
  }

  /** Returns the ids of the records inserted (a record already stored is skipped). */
  recordIngested(consumer: string, sequence: number, records: DeliveryRecord[]): Set<string> {
    const insertedIds = new Set<string>();
    for (const record of records) {
      const inserted = this.statements.insertDelivery.run(
        record.id, record.partnerId, record.deliveryAccount, record.bucket, record.key, record.versionId, record.sizeBytes,
        record.status, record.rejection?.code ?? null, record.deliveredMs, record.supersededBy ? 1 : 0, JSON.stringify(record),
      ).changes;
      if (inserted === 0) continue;
      insertedIds.add(record.id);
      this.countDay(counted(record), record.status, record.rejection?.code ?? null, 1);
      this.statements.insertHistory.run(record.id, record.id, record.deliveredMs, record.status, `delivered by ${record.deliveredBy} (${record.method})`);
      if (record.supersedes) {
        const previous = this.get(record.supersedes);
        if (previous && !previous.supersededBy) {
          this.write({ ...previous, supersededBy: record.id });
          this.statements.insertHistory.run(previous.id, previous.id, record.deliveredMs, 'Superseded', `superseded by redelivery ${record.id} (${record.key})`);
        }
      }
    }
    this.statements.upsertCursor.run(consumer, sequence);
    return insertedIds;
  }

  get(id: string): DeliveryRecord | undefined {
    return parse(this.statements.selectDelivery.get(id));
  }

  current(partnerId: string, key: string): DeliveryRecord | undefined {
    return parse(this.statements.selectCurrent.get(partnerId, key));
  }

  ofKey(partnerId: string, key: string): DeliveryRecord[] {
    return (this.statements.selectOfKey.all(partnerId, key) as string[]).map((b) => JSON.parse(b) as DeliveryRecord);
  }

  unfinished(limit: number): DeliveryRecord[] {
    return (this.statements.selectUnfinished.all(limit) as string[]).map((b) => JSON.parse(b) as DeliveryRecord);
  }

  update(record: DeliveryRecord, note: string): void {
    if (!this.write(record)) throw new DeliveryConflict('NotFound', `No delivery ${record.id}.`);
    this.statements.insertHistory.run(record.id, record.id, record.updatedMs, record.status, note);
  }

  history(deliveryId: string): DeliveryHistoryEntry[] {
    return (this.statements.selectHistory.all(deliveryId) as { delivery_id: string; at_ms: number; status: DeliveryHistoryEntry['status']; note: string }[])
      .map((r) => ({ deliveryId: r.delivery_id, atMs: r.at_ms, status: r.status, note: r.note }));
  }

  /** Stores a changed record and moves it between day counts; false (and nothing written) if there is no such delivery. */
  private write(record: DeliveryRecord): boolean {
    const before = this.statements.selectCounted.get(record.id) as CountedRow | undefined;
    if (!before) return false;
    const code = record.rejection?.code ?? null;
    this.statements.updateDelivery.run(record.status, code, record.supersededBy ? 1 : 0, JSON.stringify(record), record.id);
    if (before.status !== record.status || before.rejection_code !== code) {
      this.countDay(before, before.status, before.rejection_code, -1);
      this.countDay(before, record.status, code, 1);
    }
    return true;
  }

  /** Moves one delivery into (+1) or out of (−1) its day's counts under `status` and `code`. */
  private countDay(row: CountedRow, status: string, code: string | null, sign: 1 | -1): void {
    this.statements.addToDayCounts.run(Math.floor(row.delivered_ms / dayMs), row.partner_id, status, code ?? '', sign, sign * row.size_bytes);
  }

  /** Filters, sorting and keyset pagination (the cursor carries the last row's sort value and id). */
  query(query: DeliveryQuery): DeliveryPage {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.partnerId !== undefined) { where.push('partner_id = ?'); params.push(query.partnerId); }
    if (query.status !== undefined) { where.push('status = ?'); params.push(query.status); }
    if (query.deliveryAccount !== undefined) { where.push('delivery_account = ?'); params.push(query.deliveryAccount); }
    if (query.search) { where.push("key LIKE ? ESCAPE '\\'"); params.push(`%${query.search.replace(/[\\%_]/g, (c) => '\\' + c)}%`); }
    if (query.fromMs !== undefined) { where.push('delivered_ms >= ?'); params.push(query.fromMs); }
    if (query.toMs !== undefined) { where.push('delivered_ms < ?'); params.push(query.toMs); }
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = this.count(query, filter, params);
    const column = sortColumns[query.sort ?? 'deliveredAt'];
    const descending = (query.order ?? 'desc') === 'desc';
    const pageWhere = [...where];
    const pageParams = [...params];
    if (query.cursor) {
      const [value, id] = decodeCursor(query.cursor);
      pageWhere.push(`(${column}, id) ${descending ? '<' : '>'} (?, ?)`);
      pageParams.push(value, id);
    }
    const direction = descending ? 'DESC' : 'ASC';
    // A search with few matches: find them through the key index (a covering scan), then sort them. Walking a
    // sort order's index instead visits every entry when matches are rare, and reads each row where the index
    // lacks the key (size, status, account orders); with many matches that walk fills a page quickly.
    if (query.search && total <= limits.deliverySearchSortMatchesMax) {
      pageWhere.splice(0, where.length, `id IN (SELECT id FROM deliveries ${filter})`);
    }
    // The page's ids come from the index alone where it covers the filters (the time indexes carry the key, so
    // a search walks them without reading rows); only the page's rows are read for their bodies.
    const order = `ORDER BY ${column} ${direction}, id ${direction}`;
    const sql = `SELECT body, ${column} AS sort_value FROM deliveries WHERE id IN (
      SELECT id FROM deliveries ${pageWhere.length ? `WHERE ${pageWhere.join(' AND ')}` : ''} ${order} LIMIT ?) ${order}`;
    const rows = this.db.prepare(sql).all(...pageParams, query.limit + 1) as { body: string; sort_value: string | number }[];
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const deliveries = page.map((r) => JSON.parse(r.body) as DeliveryRecord);
    return {
      deliveries,
      total,
      ...(rows.length > query.limit && last ? { nextCursor: encodeCursor(last.sort_value, deliveries[deliveries.length - 1]!.id) } : {}),
    };
  }

  /**
   * The number of deliveries a query matches. Filtered by partner and status at most (the Deliveries tab as it
   * opens), it is summed from the day counts: a few hundred rows instead of every matching delivery.
   */
  private count(query: DeliveryQuery, filter: string, params: unknown[]): number {
    if (query.search || query.deliveryAccount !== undefined || query.fromMs !== undefined || query.toMs !== undefined) {
      return this.db.prepare(`SELECT count(*) FROM deliveries ${filter}`).pluck().get(...params) as number;
    }
    return this.db.prepare(`SELECT coalesce(sum(deliveries), 0) FROM delivery_day_counts ${filter}`).pluck().get(...params) as number;
  }

  storageUsed(partnerId?: string): { partnerId: string; deliveries: number; bytes: number }[] {
    const rows = partnerId === undefined ? this.statements.storageByPartner.all() : this.statements.storageOfPartner.all(partnerId);
    return rows as { partnerId: string; deliveries: number; bytes: number }[];
  }

  /**
   * Counts per UTC day, status and rejection code since `sinceMs`: whole days from delivery_day_counts, the
   * part of the first day after `sinceMs` from the deliveries themselves (through the time index), folded into
   * the three views. 100,000 deliveries in the window: 132 ms as one grouped pass over them, ~2 ms this way.
   */
  stats(partnerId: string | undefined, sinceMs: number): { days: { day: string; deliveries: number; bytes: number }[]; byStatus: Record<string, number>; byCode: Record<string, number> } {
    const scope = partnerId === undefined ? '' : 'AND partner_id = ?';
    const partner = partnerId === undefined ? [] : [partnerId];
    const firstWholeDay = Math.ceil(sinceMs / dayMs);
    type Group = { day: number; status: string; code: string | null; n: number; bytes: number };
    const partial = this.db.prepare(`SELECT delivered_ms / ${dayMs} AS day, status, rejection_code AS code, count(*) AS n, coalesce(sum(size_bytes), 0) AS bytes
      FROM deliveries WHERE delivered_ms >= ? AND delivered_ms < ? ${scope} GROUP BY day, status, rejection_code`).all(sinceMs, firstWholeDay * dayMs, ...partner) as Group[];
    const whole = this.db.prepare(`SELECT day, status, nullif(code, '') AS code, sum(deliveries) AS n, sum(bytes) AS bytes
      FROM delivery_day_counts WHERE day >= ? ${scope} GROUP BY day, status, code HAVING sum(deliveries) > 0 ORDER BY day`).all(firstWholeDay, ...partner) as Group[];
    const groups = [...partial, ...whole];
    const days: { day: string; deliveries: number; bytes: number }[] = [];
    const byStatus: Record<string, number> = {};
    const byCode: Record<string, number> = {};
    for (const group of groups) {
      const day = new Date(group.day * dayMs).toISOString().slice(0, 10);
      const last = days[days.length - 1];
      if (last?.day === day) {
        last.deliveries += group.n;
        last.bytes += group.bytes;
      } else {
        days.push({ day, deliveries: group.n, bytes: group.bytes });
      }
      byStatus[group.status] = (byStatus[group.status] ?? 0) + group.n;
      if (group.code !== null) byCode[group.code] = (byCode[group.code] ?? 0) + group.n;
    }
    return { days, byStatus, byCode };
  }

}

/** The columns a delivery's day counts are keyed and sized by (as stored; an update never changes them). */
interface CountedRow {
  partner_id: string;
  delivered_ms: number;
  size_bytes: number;
  status: string;
  rejection_code: string | null;
}

function counted(record: DeliveryRecord): CountedRow {
  return { partner_id: record.partnerId, delivered_ms: record.deliveredMs, size_bytes: record.sizeBytes, status: record.status, rejection_code: record.rejection?.code ?? null };
}

function encodeCursor(value: string | number, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string | number, string] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[1] === 'string' && (typeof parsed[0] === 'string' || typeof parsed[0] === 'number')) {
      return [parsed[0], parsed[1]];
    }
  } catch {
    // fall through
  }
  throw new DeliveryConflict('Conflict', 'The pagination cursor is not valid.');
}

function parse<T>(body: unknown): T | undefined {
  return typeof body === 'string' ? (JSON.parse(body) as T) : undefined;
}
