// Webhook event bodies: `delivery.status` (a delivery's new status with the status it left) and `ping`.
// Bodies are capped: a delivery too large to send whole loses its media summary, then everything but its identity.
import assert from 'node:assert';
import type { DeliveryRecord, DeliveryStatus, WebhookRecord } from '../../storage/delivery-store.js';

/** Renders a delivery as the JSON API does (injected by the composition root: delivery/ does not import portal/). */
export type DeliveryView = (record: DeliveryRecord) => Record<string, unknown>;

export type WebhookEventName = 'delivery.status' | 'ping';

export interface DeliveryStatusEvent {
  event: 'delivery.status';
  delivery: Record<string, unknown>;
  previousStatus: DeliveryStatus | null;
  /** When the status changed (ISO-8601). */
  at: string;
  /** Present when the delivery was cut down to fit the payload limit. */
  truncated?: true;
}

/** The smallest payload size the truncation below always fits (a 1024-byte key plus the identity fields). */
export const webhookPayloadBytesMin = 4096;

/** The validation queue moves a delivery along one path, so the status it left follows from the new one. */
const previousStatuses: Record<DeliveryStatus, DeliveryStatus | null> = {
  Received: null,
  Validating: 'Received',
  Accepted: 'Validating',
  Rejected: 'Validating',
  Ingested: 'Accepted',
};

export function previousStatusOf(status: DeliveryStatus): DeliveryStatus | null {
  return previousStatuses[status];
}

const identityFields = ['id', 'partner', 'deliveryAccount', 'key', 'versionId', 'size', 'etag', 'status', 'deliveredAt', 'deliveredBy', 'method', 'updatedAt'];

/** The `delivery.status` body for a record's current status, at most `payloadBytesMax` bytes. */
export function deliveryStatusPayload(view: DeliveryView, record: DeliveryRecord, atMs: number, payloadBytesMax: number): string {
  assert(payloadBytesMax >= webhookPayloadBytesMin, `webhook payloads need at least ${webhookPayloadBytesMin} bytes`);
  const full = view(record);
  const base = { event: 'delivery.status' as const, previousStatus: previousStatusOf(record.status), at: new Date(atMs).toISOString() };
  const fits = (body: string) => Buffer.byteLength(body) <= payloadBytesMax;
  const whole = JSON.stringify({ ...base, delivery: full } satisfies DeliveryStatusEvent);
  if (fits(whole)) return whole;
  const withoutMedia = JSON.stringify({ ...base, delivery: { ...full, media: null }, truncated: true } satisfies DeliveryStatusEvent);
  if (fits(withoutMedia)) return withoutMedia;
  const identity = Object.fromEntries(identityFields.map((name) => [name, full[name] ?? null]));
  const rejection = full['rejection'] as { code?: unknown } | null | undefined;
  const minimal = JSON.stringify({ ...base, delivery: { ...identity, rejection: rejection ? { code: rejection.code } : null }, truncated: true } satisfies DeliveryStatusEvent);
  assert(fits(minimal), 'a delivery identity always fits the payload limit');
  return minimal;
}

/** The body of a test delivery (`POST /webhooks/:id/test`). */
export function pingPayload(webhook: WebhookRecord, atMs: number): string {
  return JSON.stringify({ event: 'ping', webhook: { id: webhook.id, url: webhook.url, statuses: webhook.statuses }, at: new Date(atMs).toISOString() });
}
