// Webhook registrations: validated (http(s) target the owner may reach, known statuses), capped per owner,
// with a signing secret the server generates (returned once, at creation).
import { S3Error } from '../../core/errors.js';
import { newLowerAlnum } from '../../core/ids.js';
import type { DeliveryStatus, WebhookRecord } from '../../storage/delivery-store.js';
import type { DeliveryContext } from '../delivery-context.js';
import { newWebhookSecret } from './webhook-signature.js';
import type { WebhookTargetPolicy } from './webhook-target.js';

/** Hooks one partner (or the operators together) may register. */
export const webhooksPerOwnerMax = 25;

export const deliveryStatuses: readonly DeliveryStatus[] = ['Received', 'Validating', 'Accepted', 'Ingested', 'Rejected'];

export interface NewWebhook {
  /** The partner whose deliveries it receives; undefined: every partner's (an operator hook). */
  partnerId?: string | undefined;
  url: unknown;
  /** Statuses that trigger it; empty or absent: every status change. */
  statuses?: unknown;
}

function statusList(value: unknown): DeliveryStatus[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((s) => typeof s !== 'string' || !deliveryStatuses.includes(s as DeliveryStatus))) {
    throw new S3Error('InvalidArgument', `statuses must be a list of ${deliveryStatuses.join(', ')}.`);
  }
  return [...new Set(value as DeliveryStatus[])];
}

export async function createWebhook(context: DeliveryContext, targets: WebhookTargetPolicy, input: NewWebhook): Promise<WebhookRecord> {
  const url = targets.parseUrl(input.url, input.partnerId === undefined ? 'operator' : 'partner');
  const statuses = statusList(input.statuses);
  const sameOwner = (await context.deliveries.listWebhooks(input.partnerId)).filter((hook) => hook.partnerId === input.partnerId);
  if (sameOwner.length >= webhooksPerOwnerMax) throw new S3Error('InvalidArgument', `At most ${webhooksPerOwnerMax} webhooks per owner; delete one first.`);
  const webhook: WebhookRecord = {
    id: `whk-${newLowerAlnum(16)}`,
    ...(input.partnerId !== undefined ? { partnerId: input.partnerId } : {}),
    url: url.href,
    secret: newWebhookSecret(),
    statuses,
    createdMs: context.clock.nowMs(),
    active: true,
  };
  await context.deliveries.putWebhook(webhook);
  return webhook;
}

export async function findWebhook(context: DeliveryContext, id: string): Promise<WebhookRecord | undefined> {
  return (await context.deliveries.listWebhooks()).find((hook) => hook.id === id);
}
