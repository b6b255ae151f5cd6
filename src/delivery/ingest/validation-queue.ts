// Runs validation for delivery records with bounded concurrency; each run has a deadline, so a stuck or
// failing validator cannot stall other deliveries. Status: Received → Validating → Accepted → Ingested,
// or Rejected with the first issue's code, cause and fix. Every change is stored with a history entry and the
// webhooks it triggers, in one transaction.
import { limits } from '../../core/limits.js';
import { issue } from '../validators/error-catalogue.js';
import type { DeliveryIssue, DeliveryRecord, ValidationOutcome } from '../../storage/delivery-store.js';
import type { DeliveryContext } from '../delivery-context.js';
import type { StatusEffects, ValidationSink } from './ingest-consumer.js';

export interface ValidationVerdict {
  validations: ValidationOutcome[];
  media?: Record<string, unknown> | undefined;
  /** Set when a validator failed: the delivery is Rejected with it. */
  rejection?: DeliveryIssue | undefined;
}

/** Validates one delivery; must honour the signal (the queue aborts it at the deadline). */
export type DeliveryValidator = (record: DeliveryRecord, signal: AbortSignal) => Promise<ValidationVerdict>;

/** Listens to status changes (webhooks, the live events feed). */
export type StatusListener = (record: DeliveryRecord) => void;

export class ValidationQueue implements ValidationSink {
  private readonly waiting: DeliveryRecord[] = [];
  private readonly queued = new Set<string>();
  private active = 0;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly listeners = new Set<StatusListener>();

  constructor(
    private readonly context: DeliveryContext,
    private readonly validate: DeliveryValidator,
    private readonly effects: StatusEffects,
    private readonly concurrency: number = limits.ingestValidationConcurrency,
    private readonly deadlineMs: number = limits.validatorTimeoutMs,
  ) {}

  get backlog(): number {
    return this.waiting.length + this.active;
  }

  onStatus(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  enqueue(records: DeliveryRecord[]): void {
    for (const record of records) {
      if (this.queued.has(record.id)) continue;
      this.queued.add(record.id);
      this.waiting.push(record);
      this.emit(record);
    }
    this.pump();
  }

  /** Resolves when nothing is waiting or running. */
  idle(): Promise<void> {
    if (this.backlog === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.active < this.concurrency && this.waiting.length > 0) {
      const record = this.waiting.shift()!;
      this.active++;
      void this.run(record).finally(() => {
        this.active--;
        this.queued.delete(record.id);
        this.pump();
        if (this.backlog === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
      });
    }
  }

  private async run(received: DeliveryRecord): Promise<void> {
    const { clock, log } = this.context;
    try {
      if (received.status === 'Accepted') {
        // A restart between acceptance and ingestion: only the last step remains.
        await this.ingest(received);
        return;
      }
      const validating: DeliveryRecord = { ...received, status: 'Validating', updatedMs: clock.nowMs() };
      await this.store(validating, 'validation started');
      this.emit(validating);
      const verdict = await this.withDeadline(received);
      const accepted = !verdict.rejection;
      const decided: DeliveryRecord = {
        ...validating,
        status: accepted ? 'Accepted' : 'Rejected',
        validations: verdict.validations,
        ...(verdict.media ? { media: verdict.media } : {}),
        ...(verdict.rejection ? { rejection: verdict.rejection } : {}),
        updatedMs: clock.nowMs(),
      };
      await this.store(decided, accepted ? 'all validations passed' : `${verdict.rejection!.code}: ${verdict.rejection!.cause}`);
      this.emit(decided);
      if (accepted) await this.ingest(decided);
    } catch (error) {
      // The record stays Validating and is resumed on the next start.
      log.error('validation run failed', { delivery: received.id, error: String(error) });
    }
  }

  private async ingest(accepted: DeliveryRecord): Promise<void> {
    const ingested: DeliveryRecord = { ...accepted, status: 'Ingested', updatedMs: this.context.clock.nowMs() };
    await this.store(ingested, 'ingested into the platform catalogue');
    this.emit(ingested);
  }

  private async store(record: DeliveryRecord, note: string): Promise<void> {
    await this.context.deliveries.updateDelivery(record, note, await this.effects([record]));
  }

  private async withDeadline(record: DeliveryRecord): Promise<ValidationVerdict> {
    const controller = new AbortController();
    // Hashing a large master takes time: the deadline grows with the object's size.
    const deadlineMs = this.deadlineMs + Math.ceil((record.sizeBytes / limits.validatorThroughputBytesPerSecondMin) * 1000);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<ValidationVerdict>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve({
          validations: [{ validator: 'pipeline', outcome: 'error', issues: [], durationMs: deadlineMs }],
          rejection: issue('VALIDATION_TIMEOUT', { seconds: Math.round(deadlineMs / 1000) }),
        });
      }, deadlineMs);
    });
    try {
      return await Promise.race([this.validate(record, controller.signal), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private emit(record: DeliveryRecord): void {
    for (const listener of this.listeners) {
      try {
        listener(record);
      } catch (error) {
        this.context.log.warn('status listener failed', { error: String(error) });
      }
    }
  }
}
