// The webhook dispatcher: says which WebhookDeliveries a delivery status change causes (one per matching hook:
// partner hooks for their partner's deliveries, operator hooks for all, optional status filter), which the
// ingest pipeline stores in the transaction that stores the change; then sends due deliveries with bounded
// concurrency, a timeout and exponential back-off with jitter until one succeeds or the attempt limit marks
// it Failed. The queue is the store, so neither a change's webhooks nor pending attempts are lost to a crash.
import assert from 'node:assert';
import { limits } from '../../core/limits.js';
import { newLowerAlnum } from '../../core/ids.js';
import type { DeliveryRecord, WebhookDelivery, WebhookRecord } from '../../storage/delivery-store.js';
import type { DeliveryContext } from '../delivery-context.js';
import type { StatusListener } from '../ingest/validation-queue.js';
import { deliveryStatusPayload, pingPayload, webhookPayloadBytesMin, type DeliveryView, type WebhookEventName } from './webhook-payload.js';
import { postWebhook, type AttemptResult } from './webhook-sender.js';
import { deliveryHeader, eventHeader, signatureHeader, signatureHeaderValue } from './webhook-signature.js';
import { WebhookTargetPolicy } from './webhook-target.js';

/** Tunables; absent ones take the named limits. Tests pass small back-off values here. */
export interface WebhookSettings {
  timeoutMs?: number;
  backoffBaseMs?: number;
  /** The longest wait between two attempts, whatever the attempt number. */
  backoffMaxMs?: number;
  attemptsMax?: number;
  payloadBytesMax?: number;
  /** Attempts in flight at once, over all hooks. */
  concurrency?: number;
  /** How often the store is asked for due deliveries besides the wake-ups this process schedules. */
  pollIntervalMs?: number;
  /** Let partner hooks target loopback and private networks (a platform whose partners sit on its VPN). */
  allowPartnerPrivateTargets?: boolean;
  /** [0, 1) source for the jitter; injectable so tests can pin it. */
  random?: () => number;
}

/** One try, as the delivery log shows it. */
export interface WebhookAttempt {
  atMs: number;
  statusCode?: number;
  error?: string;
  durationMs: number;
}

/** The stored record with the dispatcher's additions (kept in the record's JSON body). */
export interface LoggedWebhookDelivery extends WebhookDelivery {
  event?: WebhookEventName;
  attemptLog?: WebhookAttempt[];
}

export interface StatusSource {
  onStatus(listener: StatusListener): () => void;
}

// Named limits not (yet) in core/limits.ts: defaults for the tunables above and in-memory bounds.
export const webhookDefaults = { backoffMaxMs: 3_600_000, concurrency: 4, pollIntervalMs: 1_000 };
const scheduledWakeupsMax = 10_000;

/** Attempt n (1-based) failed: wait base·2^(n-1), at most max, with "equal jitter" (half fixed, half random). */
export function retryDelayMs(failedAttempts: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  assert(failedAttempts >= 1 && baseMs > 0 && maxMs >= baseMs);
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(failedAttempts - 1, 40));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

const isSuccess = (result: AttemptResult) => result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;
const responseSummary = (result: AttemptResult) => (result.statusCode !== undefined ? `HTTP ${result.statusCode}` : `error: ${result.error ?? 'unknown'}`);

export class WebhookDispatcher {
  readonly targets: WebhookTargetPolicy;
  private readonly settings: Required<Omit<WebhookSettings, 'allowPartnerPrivateTargets'>>;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private again = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private wakeTimer: NodeJS.Timeout | undefined;
  private wakeTimerAtMs = Infinity;
  private readonly wakeups: number[] = [];

  constructor(private readonly context: DeliveryContext, private readonly view: DeliveryView, settings: WebhookSettings = {}) {
    this.settings = {
      timeoutMs: settings.timeoutMs ?? limits.webhookTimeoutMs,
      backoffBaseMs: settings.backoffBaseMs ?? limits.webhookBackoffBaseMs,
      backoffMaxMs: settings.backoffMaxMs ?? Math.max(webhookDefaults.backoffMaxMs, settings.backoffBaseMs ?? 0),
      attemptsMax: settings.attemptsMax ?? limits.webhookAttemptsMax,
      payloadBytesMax: settings.payloadBytesMax ?? limits.webhookPayloadBytesMax,
      concurrency: settings.concurrency ?? webhookDefaults.concurrency,
      pollIntervalMs: settings.pollIntervalMs ?? webhookDefaults.pollIntervalMs,
      random: settings.random ?? Math.random,
    };
    const s = this.settings;
    assert(s.timeoutMs > 0 && s.backoffBaseMs > 0 && s.backoffMaxMs >= s.backoffBaseMs && s.attemptsMax >= 1 && s.concurrency >= 1 && s.pollIntervalMs > 0);
    assert(s.payloadBytesMax >= webhookPayloadBytesMin);
    this.targets = new WebhookTargetPolicy(settings.allowPartnerPrivateTargets ?? false);
  }

  /** Wakes on every stored status change and starts sending (deliveries left Pending by a previous run go first). */
  start(source: StatusSource): void {
    assert(!this.unsubscribe && !this.stopped, 'start once');
    this.unsubscribe = source.onStatus(() => this.wake());
    this.pollTimer = setInterval(() => this.wake(), this.settings.pollIntervalMs);
    this.pollTimer.unref();
    this.wake();
  }

  /** Stops; attempts cut short stay Pending and are sent after a restart. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.wakeTimer);
    this.abort.abort();
    await this.running;
    await Promise.all(this.inFlight.values());
  }

  /**
   * The webhook deliveries these status changes cause, for the caller to store with the changes themselves.
   * `at` in each payload is when the status changed (the record's update time), however late it is sent.
   */
  async deliveriesFor(records: DeliveryRecord[]): Promise<LoggedWebhookDelivery[]> {
    if (records.length === 0) return [];
    const hooks = (await this.context.deliveries.listWebhooks()).filter((hook) => hook.active);
    const nowMs = this.context.clock.nowMs();
    const out: LoggedWebhookDelivery[] = [];
    for (const record of records) {
      const matching = hooks.filter((hook) =>
        (hook.partnerId === undefined || hook.partnerId === record.partnerId) && (hook.statuses.length === 0 || hook.statuses.includes(record.status)));
      if (matching.length === 0) continue;
      const payload = deliveryStatusPayload(this.view, record, record.updatedMs, this.settings.payloadBytesMax);
      for (const hook of matching) {
        out.push({
          id: newWebhookDeliveryId(), webhookId: hook.id, deliveryId: record.id, event: 'delivery.status', payload,
          attempts: 0, status: 'Pending', nextAttemptMs: nowMs, createdMs: nowMs, updatedMs: nowMs, attemptLog: [],
        });
      }
    }
    return out;
  }

  /** Sends a ping now, once, and logs it with the hook's deliveries. */
  async ping(hook: WebhookRecord): Promise<LoggedWebhookDelivery> {
    const nowMs = this.context.clock.nowMs();
    const pending: LoggedWebhookDelivery = {
      id: newWebhookDeliveryId(), webhookId: hook.id, deliveryId: '', event: 'ping', payload: pingPayload(hook, nowMs),
      attempts: 0, status: 'Pending', nextAttemptMs: Number.MAX_SAFE_INTEGER, createdMs: nowMs, updatedMs: nowMs, attemptLog: [],
    };
    const result = await this.send(hook, pending);
    const done = this.afterAttempt(pending, result, { retry: false });
    await this.context.deliveries.enqueueWebhookDeliveries([done]);
    return done;
  }

  /** Starts a pass over due deliveries, or asks the running one to look again when it finishes. */
  private wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.fill().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async fill(): Promise<void> {
    try {
      const free = this.settings.concurrency - this.inFlight.size;
      if (free <= 0) return;
      const { deliveries, clock } = this.context;
      const due = (await deliveries.dueWebhookDeliveries(clock.nowMs(), free + this.inFlight.size)).filter((d) => !this.inFlight.has(d.id));
      if (due.length === 0) return;
      const hooks = new Map((await deliveries.listWebhooks()).map((hook) => [hook.id, hook]));
      for (const delivery of due.slice(0, free)) {
        if (this.stopped) return;
        const attempt = this.attempt(delivery, hooks.get(delivery.webhookId)).catch((error: unknown) => {
          this.context.log.error('webhook attempt failed', { webhookDelivery: delivery.id, error: String(error) });
        }).finally(() => {
          this.inFlight.delete(delivery.id);
          this.wake();
        });
        this.inFlight.set(delivery.id, attempt);
      }
    } catch (error) {
      this.context.log.error('webhook dispatch failed; retrying on the next poll', { error: String(error) });
    }
  }

  private async attempt(delivery: LoggedWebhookDelivery, hook: WebhookRecord | undefined): Promise<void> {
    const store = this.context.deliveries;
    if (!hook || !hook.active) {
      const nowMs = this.context.clock.nowMs();
      await store.updateWebhookDelivery({ ...delivery, status: 'Failed', lastResponse: hook ? 'the webhook is disabled' : 'the webhook was deleted', updatedMs: nowMs });
      return;
    }
    const result = await this.send(hook, delivery);
    if (result.aborted) return;
    const next = this.afterAttempt(delivery, result, { retry: true });
    await store.updateWebhookDelivery(next);
    if (next.status === 'Pending') this.wakeAt(next.nextAttemptMs);
  }

  /** The record after one attempt: Delivered, Pending again after a back-off, or Failed at the limit. */
  private afterAttempt(delivery: LoggedWebhookDelivery, result: AttemptResult, options: { retry: boolean }): LoggedWebhookDelivery {
    const nowMs = this.context.clock.nowMs();
    const attempts = delivery.attempts + 1;
    const entry: WebhookAttempt = { atMs: nowMs - result.durationMs, durationMs: result.durationMs };
    if (result.statusCode !== undefined) entry.statusCode = result.statusCode;
    if (result.error !== undefined) entry.error = result.error;
    const attemptLog = [...(delivery.attemptLog ?? []), entry];
    const base = { ...delivery, attempts, attemptLog, lastResponse: responseSummary(result), updatedMs: nowMs };
    if (isSuccess(result)) return { ...base, status: 'Delivered' };
    if (!options.retry || attempts >= this.settings.attemptsMax) return { ...base, status: 'Failed' };
    const delayMs = retryDelayMs(attempts, this.settings.backoffBaseMs, this.settings.backoffMaxMs, this.settings.random);
    return { ...base, status: 'Pending', nextAttemptMs: nowMs + delayMs };
  }

  private async send(hook: WebhookRecord, delivery: LoggedWebhookDelivery): Promise<AttemptResult> {
    const owner = hook.partnerId === undefined ? 'operator' : 'partner';
    let url: URL;
    try {
      url = this.targets.parseUrl(hook.url, owner);
    } catch (error) {
      return { error: (error as Error).message, durationMs: 0 };
    }
    const timestampSeconds = Math.floor(this.context.clock.nowMs() / 1000);
    const event = delivery.event ?? (JSON.parse(delivery.payload) as { event: WebhookEventName }).event;
    const headers = {
      [signatureHeader]: signatureHeaderValue(hook.secret, timestampSeconds, delivery.payload),
      [eventHeader]: event,
      [deliveryHeader]: delivery.id,
    };
    return postWebhook(url, delivery.payload, headers, { timeoutMs: this.settings.timeoutMs, lookup: this.targets.lookupFor(owner), signal: this.abort.signal });
  }

  /** Wakes at `atMs` (a retry this process scheduled) rather than waiting for the next poll. */
  private wakeAt(atMs: number): void {
    if (this.stopped) return;
    if (this.wakeups.length < scheduledWakeupsMax) {
      this.wakeups.push(atMs);
      this.wakeups.sort((a, b) => a - b);
    }
    this.armWakeTimer();
  }

  private armWakeTimer(): void {
    const next = this.wakeups[0];
    if (next === undefined || next >= this.wakeTimerAtMs) return;
    clearTimeout(this.wakeTimer);
    this.wakeTimerAtMs = next;
    this.wakeTimer = setTimeout(() => {
      const nowMs = this.context.clock.nowMs();
      while (this.wakeups.length > 0 && this.wakeups[0]! <= nowMs) this.wakeups.shift();
      this.wakeTimer = undefined;
      this.wakeTimerAtMs = Infinity;
      this.wake();
      this.armWakeTimer();
    }, Math.max(0, next - this.context.clock.nowMs()));
    this.wakeTimer.unref();
  }
}

export function newWebhookDeliveryId(): string {
  return `whd-${newLowerAlnum(20)}`;
}
