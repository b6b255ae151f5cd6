// The ingest consumer: reads the object event outbox by sequence from a stored cursor, turns every object
// version created under a partner prefix of the delivery bucket into a delivery record (record + cursor in one
// transaction, with the webhooks they trigger: exactly once, also across kill -9), and hands them to validation.
import { limits } from '../../core/limits.js';
import type { DeliveryRecord, PartnerRecord, WebhookDelivery } from '../../storage/delivery-store.js';
import type { ObjectEvent } from '../../storage/types.js';
import type { DeliveryContext } from '../delivery-context.js';
import { deliveryAccountOf, newDeliveryRecord, supersededCandidates } from './delivery-records.js';

export const INGEST_CONSUMER = 'ingest';

export interface ValidationSink {
  enqueue(records: DeliveryRecord[]): void;
  /** Deliveries waiting or running; the consumer stops reading while this is at the limit (back-pressure). */
  readonly backlog: number;
}

/**
 * What status changes cause besides themselves (the webhook deliveries they trigger): stored in the transaction
 * that stores the changes, so a crash loses neither.
 */
export type StatusEffects = (records: DeliveryRecord[]) => Promise<WebhookDelivery[]>;

const partnerCacheTtlMs = 1_000;

export class IngestConsumer {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  /** Sequence of the last event consumed (undefined until read from the stored cursor). */
  private position: number | undefined;
  private persistedMs = -Infinity;
  private partners: { byPrefix: Map<string, PartnerRecord>; loadedMs: number } = { byPrefix: new Map(), loadedMs: -Infinity };

  constructor(
    private readonly context: DeliveryContext,
    private readonly validation: ValidationSink,
    private readonly effects: StatusEffects,
  ) {}

  async start(): Promise<void> {
    this.validation.enqueue(await this.context.deliveries.listUnfinishedDeliveries(limits.ingestResumeBatchMax));
    this.unsubscribe = this.context.meta.onEvents(() => this.wake());
    this.timer = setInterval(() => this.wake(), limits.ingestPollIntervalMs);
    this.timer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearInterval(this.timer);
    await this.running;
    if (this.position !== undefined) await this.context.deliveries.recordIngested(INGEST_CONSUMER, this.position, []).catch(() => undefined);
  }

  /** Starts a drain, or asks the running one to look again when it finishes. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Resolves once every event committed so far has been consumed. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Events are consumed from `position`. The stored cursor moves with every batch that yields records
   * (same transaction as the records), and otherwise at most once per `ingestCursorPersistIntervalMs`:
   * most events (writes outside the delivery bucket) then cost no write at all. After a crash the few
   * events past the stored cursor are read again; records are keyed by (bucket, key, version), so a
   * replay never duplicates one.
   */
  private async drain(): Promise<void> {
    try {
      this.position ??= await this.context.deliveries.ingestCursor(INGEST_CONSUMER);
      while (!this.stopped && this.validation.backlog < limits.ingestValidationBacklogMax) {
        const events = await this.context.meta.readEvents(this.position, limits.ingestEventBatchMax);
        if (events.length === 0) return;
        const records = await this.recordsFor(events);
        const last = events[events.length - 1]!.sequence;
        const nowMs = this.context.clock.nowMs();
        if (records.length > 0 || nowMs - this.persistedMs >= limits.ingestCursorPersistIntervalMs) {
          await this.context.deliveries.recordIngested(INGEST_CONSUMER, last, records, await this.effects(records));
          this.persistedMs = nowMs;
        }
        this.position = last;
        this.validation.enqueue(records);
      }
    } catch (error) {
      this.context.log.error('ingest failed; retrying on the next event or poll', { error: String(error) });
    }
  }

  private async recordsFor(events: ObjectEvent[]): Promise<DeliveryRecord[]> {
    const { meta, deliveries, platform } = this.context;
    const records: DeliveryRecord[] = [];
    const inBatch = new Map<string, DeliveryRecord>();
    for (const event of events) {
      if (!event.name.startsWith('ObjectCreated:') || event.bucket !== platform.deliveryBucket) continue;
      const partner = await this.partnerOf(event.key);
      if (!partner) continue;
      const version = await meta.getObjectVersion(event.bucket, event.key, event.versionId);
      if (!version || version.isDeleteMarker) continue;
      let previous: DeliveryRecord | undefined;
      for (const candidate of supersededCandidates(event.key)) {
        previous = inBatch.get(`${partner.id}\0${candidate}`) ?? (await deliveries.findCurrentDelivery(partner.id, candidate));
        if (previous && previous.versionId !== version.versionId) break;
        previous = undefined;
      }
      const accounts = await deliveries.listDeliveryAccounts(partner.id);
      const record = newDeliveryRecord(event, version, partner, deliveryAccountOf(partner, accounts, event.key), previous);
      if (previous) inBatch.delete(`${partner.id}\0${previous.key}`);
      inBatch.set(`${partner.id}\0${record.key}`, record);
      records.push(record);
    }
    return records;
  }

  /** The partner whose prefix holds the key (PREFIX/…), from a cache refreshed every second. */
  private async partnerOf(key: string): Promise<PartnerRecord | undefined> {
    const slash = key.indexOf('/');
    if (slash <= 0) return undefined;
    const prefix = key.slice(0, slash);
    const now = this.context.clock.nowMs();
    if (!this.partners.byPrefix.has(prefix) && now - this.partners.loadedMs > partnerCacheTtlMs) {
      const all = await this.context.deliveries.listPartners();
      this.partners = { byPrefix: new Map(all.map((p) => [p.prefix, p])), loadedMs: now };
    }
    return this.partners.byPrefix.get(prefix);
  }
}
