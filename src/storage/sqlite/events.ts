// The object event outbox for the SQLite MetaStore: appended inside mutations, read by sequence.
import type Database from 'better-sqlite3';
import type { Clock } from '../../core/clock.js';
import type { ObjectEvent, ObjectEventName, WriterInfo } from '../types.js';

interface EventRow {
  sequence: number;
  time_ms: number;
  name: ObjectEventName;
  bucket: string;
  key: string;
  version_id: string;
  size_bytes: number;
  etag: string;
  writer: string | null;
}

export type NewObjectEvent = Omit<ObjectEvent, 'sequence' | 'timeMs'>;

export class SqliteEventOutbox {
  private readonly insert: Database.Statement;
  private readonly selectAfter: Database.Statement;
  private readonly selectLatest: Database.Statement;
  private readonly listeners = new Set<() => void>();
  /** Events appended by the transaction in progress; listeners hear of them after it commits. */
  private pending = 0;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.insert = db.prepare(
      `INSERT INTO events (time_ms, name, bucket, key, version_id, size_bytes, etag, writer)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectAfter = db.prepare('SELECT * FROM events WHERE sequence > ? ORDER BY sequence LIMIT ?');
    this.selectLatest = db.prepare('SELECT COALESCE(MAX(sequence), 0) FROM events').pluck();
  }

  /** Appends one event; call inside the mutation's transaction. */
  append(event: NewObjectEvent): void {
    this.insert.run(
      this.clock.nowMs(),
      event.name,
      event.bucket,
      event.key,
      event.versionId,
      event.sizeBytes,
      event.etag,
      event.writer === undefined ? null : JSON.stringify(event.writer),
    );
    this.pending++;
  }

  /** Called by the store after each transaction: notify on commit, forget on rollback. */
  settle(committed: boolean): void {
    const appended = this.pending;
    this.pending = 0;
    if (!committed || appended === 0) return;
    for (const listener of this.listeners) queueMicrotask(listener);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  read(afterSequence: number, limit: number): ObjectEvent[] {
    return (this.selectAfter.all(afterSequence, limit) as EventRow[]).map(toEvent);
  }

  latestSequence(): number {
    return this.selectLatest.get() as number;
  }
}

function toEvent(row: EventRow): ObjectEvent {
  const event: ObjectEvent = {
    sequence: row.sequence,
    timeMs: row.time_ms,
    name: row.name,
    bucket: row.bucket,
    key: row.key,
    versionId: row.version_id,
    sizeBytes: row.size_bytes,
    etag: row.etag,
  };
  if (row.writer !== null) event.writer = JSON.parse(row.writer) as WriterInfo;
  return event;
}
