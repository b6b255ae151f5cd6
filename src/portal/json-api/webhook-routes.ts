// JSON API routes for webhooks: register (the server generates the signing secret and shows it once), list,
// delete, read the delivery log, send a ping. Partners see and change only their own hooks.
import { S3Error } from '../../core/errors.js';
import { emptyResponse } from '../../api/context.js';
import { jsonResponse, type JsonRequest } from '../../api/json-api.js';
import type { LoggedWebhookDelivery, WebhookDispatcher } from '../../delivery/webhooks/webhook-dispatcher.js';
import { createWebhook, findWebhook } from '../../delivery/webhooks/webhook-registry.js';
import type { WebhookRecord } from '../../storage/delivery-store.js';
import type { JsonContext } from './json-context.js';
import { visiblePartner } from './platform-routes.js';
import type { Route } from './router.js';

export const webhookLogPageMax = 100;

const iso = (ms: number) => new Date(ms).toISOString();

export function webhookView(hook: WebhookRecord, partnerNames: ReadonlyMap<string, string>) {
  return {
    id: hook.id,
    partner: hook.partnerId === undefined ? null : partnerNames.get(hook.partnerId) ?? hook.partnerId,
    url: hook.url,
    statuses: hook.statuses,
    active: hook.active,
    createdAt: iso(hook.createdMs),
  };
}

export function webhookDeliveryView(d: LoggedWebhookDelivery) {
  let payload: { event?: string; delivery?: { status?: string } } = {};
  try {
    payload = JSON.parse(d.payload) as typeof payload;
  } catch { /* an unreadable payload still shows its attempts */ }
  return {
    id: d.id,
    webhookId: d.webhookId,
    event: d.event ?? payload.event ?? 'delivery.status',
    deliveryId: d.deliveryId === '' ? null : d.deliveryId,
    deliveryStatus: payload.delivery?.status ?? null,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === 'Pending' ? iso(d.nextAttemptMs) : null,
    lastResponse: d.lastResponse ?? null,
    createdAt: iso(d.createdMs),
    updatedAt: iso(d.updatedMs),
    attemptLog: (d.attemptLog ?? []).map((a) => ({ at: iso(a.atMs), statusCode: a.statusCode ?? null, error: a.error ?? null, durationMs: a.durationMs })),
  };
}

function bodyOf(request: JsonRequest): Record<string, unknown> {
  const value = request.body ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new S3Error('InvalidArgument', 'The request body must be a JSON object.');
  return value as Record<string, unknown>;
}

export function webhookRoutes(app: JsonContext, dispatcher: WebhookDispatcher): Route[] {
  const store = app.delivery.deliveries;
  const partnerNames = async () => new Map((await store.listPartners()).map((p) => [p.id, p.name]));

  /** The hook with this id if the caller may see it; partners get NotFound for others' hooks. */
  async function visibleWebhook(request: JsonRequest, id: string): Promise<WebhookRecord> {
    const hook = await findWebhook(app.delivery, id);
    if (!hook || (request.actor.kind === 'partner' && hook.partnerId !== request.actor.partnerId)) throw new S3Error('NotFound', `No webhook ${id}.`);
    return hook;
  }

  return [
    {
      method: 'GET', pattern: '/webhooks', access: 'any', summary: 'Webhooks (a partner sees its own; operators all, or ?partner=NAME)',
      handler: async (request) => {
        const partnerName = request.query.get('partner');
        const scope = request.actor.kind === 'partner' ? request.actor.partnerId : partnerName ? (await visiblePartner(app, request, partnerName)).id : undefined;
        const hooks = (await store.listWebhooks(scope)).filter((hook) => scope === undefined || hook.partnerId === scope);
        const names = await partnerNames();
        return jsonResponse(hooks.map((hook) => webhookView(hook, names)));
      },
    },
    {
      method: 'POST', pattern: '/webhooks', access: 'any', summary: 'Register a webhook for delivery status changes; the response holds its signing secret (shown once)',
      handler: async (request) => {
        const b = bodyOf(request);
        if (b['partner'] !== undefined && typeof b['partner'] !== 'string') throw new S3Error('InvalidArgument', 'partner must be a partner name.');
        const partnerName = b['partner'] as string | undefined;
        const partnerId = partnerName ? (await visiblePartner(app, request, partnerName)).id : request.actor.kind === 'partner' ? request.actor.partnerId : undefined;
        const hook = await createWebhook(app.delivery, dispatcher.targets, { partnerId, url: b['url'], statuses: b['statuses'] });
        return jsonResponse({ ...webhookView(hook, await partnerNames()), secret: hook.secret }, 201);
      },
    },
    {
      method: 'DELETE', pattern: '/webhooks/:id', access: 'any', summary: 'Delete a webhook (pending deliveries to it are dropped as Failed)',
      handler: async (request, params) => {
        const hook = await visibleWebhook(request, params['id']!);
        await store.deleteWebhook(hook.id);
        return emptyResponse(204);
      },
    },
    {
      method: 'GET', pattern: '/webhooks/:id/deliveries', access: 'any', summary: 'The delivery log of a webhook, newest first, with every attempt (?limit)',
      handler: async (request, params) => {
        const hook = await visibleWebhook(request, params['id']!);
        const limit = Number(request.query.get('limit') ?? '50');
        if (!Number.isInteger(limit) || limit < 1 || limit > webhookLogPageMax) throw new S3Error('InvalidArgument', `limit must be 1-${webhookLogPageMax}.`);
        const log = await store.listWebhookDeliveries(hook.id, limit);
        return jsonResponse(log.map((d) => webhookDeliveryView(d)));
      },
    },
    {
      method: 'POST', pattern: '/webhooks/:id/test', access: 'any', summary: 'Send a signed ping now (one attempt, logged with the deliveries)',
      handler: async (request, params) => {
        const hook = await visibleWebhook(request, params['id']!);
        return jsonResponse(webhookDeliveryView(await dispatcher.ping(hook)));
      },
    },
  ];
}
