// The day counts (delivery_day_counts, kept by sqlite/deliveries.ts; the dashboard's figures and the Deliveries tab's
// totals) against the deliveries themselves: after random inserts, status and rejection changes and redeliveries,
// and after the migration that backfills them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { migrate, schemaVersion } from '../../src/storage/sqlite/schema.js';
import { SqliteDeliveries } from '../../src/storage/sqlite/deliveries.js';
import type { DeliveryRecord, DeliveryStatus } from '../../src/storage/delivery-store.js';

const dayMs = 86_400_000;
const statuses: DeliveryStatus[] = ['Received', 'Validating', 'Accepted', 'Ingested', 'Rejected'];
const codes = ['NAMING_SPACES', 'CHECKSUM_MISMATCH', 'FILE_TYPE_MISMATCH'];
const startMs = Date.parse('2026-10-01T00:00:00Z');

/** A small deterministic generator, so a failure repeats. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function record(i: number, next: () => number): DeliveryRecord {
  const status = statuses[Math.floor(next() * statuses.length)]!;
  return {
    id: `dlv-${i}`, partnerId: next() < 0.7 ? 'p1' : 'p2', partnerName: 'P', deliveryAccount: 'main', bucket: 'b', key: `k/${i}.mov`, versionId: `v${i}`,
    sizeBytes: Math.floor(next() * 10_000_000_000), etag: 'e', checksums: {}, deliveredBy: 'arn', method: 'PutObject',
    deliveredMs: startMs + Math.floor(next() * 40 * dayMs), status, validations: [], redelivery: 0, eventSequence: i, updatedMs: startMs,
    ...(status === 'Rejected' ? { rejection: { code: codes[Math.floor(next() * codes.length)]!, cause: 'c', fix: 'f' } } : {}),
  };
}

type Stats = ReturnType<SqliteDeliveries['stats']>;

/** The same figures straight from the deliveries table. */
function direct(db: Database.Database, partnerId: string | undefined, sinceMs: number): Stats {
  const rows = db.prepare(`SELECT delivered_ms, size_bytes, status, rejection_code FROM deliveries WHERE delivered_ms >= ? ${partnerId ? 'AND partner_id = ?' : ''}`)
    .all(...(partnerId ? [sinceMs, partnerId] : [sinceMs])) as { delivered_ms: number; size_bytes: number; status: string; rejection_code: string | null }[];
  const days = new Map<string, { day: string; deliveries: number; bytes: number }>();
  const byStatus: Record<string, number> = {};
  const byCode: Record<string, number> = {};
  for (const row of rows) {
    const day = new Date(row.delivered_ms).toISOString().slice(0, 10);
    const entry = days.get(day) ?? days.set(day, { day, deliveries: 0, bytes: 0 }).get(day)!;
    entry.deliveries++;
    entry.bytes += row.size_bytes;
    byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
    if (row.rejection_code !== null) byCode[row.rejection_code] = (byCode[row.rejection_code] ?? 0) + 1;
  }
  return { days: [...days.values()].sort((a, b) => a.day.localeCompare(b.day)), byStatus, byCode };
}

function checkAgainstDirect(db: Database.Database, deliveries: SqliteDeliveries, next: () => number): void {
  const sinces = [0, startMs, startMs + 10 * dayMs, startMs + 10 * dayMs + 1, startMs + 17.5 * dayMs, startMs + 39 * dayMs + 5, startMs + 50 * dayMs];
  for (let i = 0; i < 10; i++) sinces.push(startMs + Math.floor(next() * 42 * dayMs));
  for (const sinceMs of sinces) {
    for (const partnerId of [undefined, 'p1', 'p2']) {
      assert.deepEqual(deliveries.stats(partnerId, sinceMs), direct(db, partnerId, sinceMs), `since ${new Date(sinceMs).toISOString()}, partner ${partnerId ?? 'all'}`);
    }
  }
  // The Deliveries tab's totals (partner and status filters only) are summed from the same counts.
  for (const partnerId of [undefined, 'p1', 'p2']) {
    for (const status of [undefined, ...statuses]) {
      const want = db.prepare(`SELECT count(*) FROM deliveries WHERE 1 ${partnerId ? 'AND partner_id = ?' : ''} ${status ? 'AND status = ?' : ''}`).pluck()
        .get(...[partnerId, status].filter((v) => v !== undefined)) as number;
      assert.equal(deliveries.query({ ...(partnerId ? { partnerId } : {}), ...(status ? { status } : {}), limit: 1 }).total, want, `total for ${partnerId ?? 'all'} ${status ?? 'any status'}`);
    }
  }
}

describe('delivery day counts', () => {
  test('match the deliveries after inserts, status and rejection changes and redeliveries', () => {
    const db = new Database(':memory:');
    migrate(db);
    const deliveries = new SqliteDeliveries(db);
    const next = random(20261129);
    let count = 0;
    for (let batch = 0; batch < 20; batch++) {
      const records = Array.from({ length: 100 }, () => record(count++, next));
      // Some redeliveries of earlier keys: supersede them (their status stays, so their counts must too).
      for (const redelivery of records.slice(0, 5)) if (count > 200) redelivery.supersedes = `dlv-${Math.floor(next() * (count - 200))}`;
      db.transaction(() => deliveries.recordIngested('test', batch, records))();
      // Status changes, into and out of Rejected, with codes changing too.
      for (let k = 0; k < 60; k++) {
        const existing = deliveries.get(`dlv-${Math.floor(next() * count)}`)!;
        const status = statuses[Math.floor(next() * statuses.length)]!;
        const { rejection: _, ...rest } = existing;
        const changed: DeliveryRecord = { ...rest, status, ...(status === 'Rejected' ? { rejection: { code: codes[Math.floor(next() * codes.length)]!, cause: 'c', fix: 'f' } } : {}) };
        db.transaction(() => deliveries.update(changed, 'test change'))();
      }
    }
    const all = deliveries.stats(undefined, 0);
    assert.equal(all.days.reduce((n, d) => n + d.deliveries, 0), count, 'every delivery counted once');
    assert.ok(Object.keys(all.byCode).length > 0 && all.byStatus['Rejected']! > 0, 'the data has rejections (so codes are exercised)');
    checkAgainstDirect(db, deliveries, next);
  });

  test('the migration fills them from the deliveries already stored', () => {
    const db = new Database(':memory:');
    migrate(db);
    const deliveries = new SqliteDeliveries(db);
    const next = random(7);
    db.transaction(() => deliveries.recordIngested('test', 1, Array.from({ length: 500 }, (_, i) => record(i, next))))();
    // As a database from before migration 9 would be: no counts table, schema version 8. (Migrations appended
    // after 9 run again here: keep them re-runnable on top of themselves, or drop their work too.)
    db.exec('DROP TABLE delivery_day_counts');
    db.pragma('user_version = 8');
    migrate(db);
    assert.equal(db.pragma('user_version', { simple: true }), schemaVersion);
    checkAgainstDirect(db, deliveries, next);
  });
});
