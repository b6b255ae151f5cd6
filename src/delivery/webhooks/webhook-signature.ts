// Webhook signatures (the Stripe scheme): `X-S3push-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256("t.body")>`.
// The timestamp is signed with the body so a captured request cannot be replayed later (receivers check it).
import assert from 'node:assert';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const signatureHeader = 'x-s3push-signature';
export const eventHeader = 'x-s3push-event';
export const deliveryHeader = 'x-s3push-delivery';

/** Replays older than this are refused by `verifyWebhookSignature` (Stripe's default tolerance). */
export const signatureToleranceSecondsDefault = 300;

/** A new signing secret: shown once when the webhook is created, then used as the HMAC key (its UTF-8 bytes). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

/** The hex HMAC-SHA256 of `${timestampSeconds}.${body}` under the secret. */
export function signatureOf(secret: string, timestampSeconds: number, body: string): string {
  assert(Number.isInteger(timestampSeconds) && timestampSeconds >= 0, 'timestamps are whole unix seconds');
  return createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex');
}

/** The X-S3push-Signature header value for a body sent at `timestampSeconds`. */
export function signatureHeaderValue(secret: string, timestampSeconds: number, body: string): string {
  return `t=${timestampSeconds},v1=${signatureOf(secret, timestampSeconds, body)}`;
}

/**
 * Checks a received signature header (what receivers do; documented in docs/webhooks.md). Any `v1` entry may
 * match, so a sender rotating secrets can send two. Returns the reason when it does not verify.
 */
export function verifyWebhookSignature(
  header: string | undefined, body: string, secret: string, nowSeconds: number, toleranceSeconds = signatureToleranceSecondsDefault,
): { ok: true } | { ok: false; reason: string } {
  if (!header) return { ok: false, reason: 'no signature header' };
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (name === 'v1' && /^[0-9a-f]{64}$/.test(value)) candidates.push(value);
  }
  if (timestamp === undefined || candidates.length === 0) return { ok: false, reason: 'malformed signature header' };
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return { ok: false, reason: 'timestamp outside the tolerance' };
  const expected = Buffer.from(signatureOf(secret, timestamp, body), 'hex');
  const matches = candidates.some((c) => timingSafeEqual(Buffer.from(c, 'hex'), expected));
  return matches ? { ok: true } : { ok: false, reason: 'signature mismatch' };
}
