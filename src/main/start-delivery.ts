// Wires the delivery platform: its context, the validation queue, the ingest consumer and the webhook dispatcher
// (whose webhooks the other two store with each status change).
import type { Services } from '../api/services.js';
import type { DeliveryContext, PlatformInfo } from '../delivery/delivery-context.js';
import { IngestConsumer } from '../delivery/ingest/ingest-consumer.js';
import { ValidationQueue } from '../delivery/ingest/validation-queue.js';
import { createDeliveryValidator } from '../delivery/ingest/validate-delivery.js';
import { MediaProbeValidator } from '../delivery/validators/media-probe.js';
import type { DeliveryView } from '../delivery/webhooks/webhook-payload.js';
import { WebhookDispatcher, type WebhookSettings } from '../delivery/webhooks/webhook-dispatcher.js';
import type { DeliveryRecord, DeliveryStore } from '../storage/delivery-store.js';

export interface DeliveryPlatform {
  context: DeliveryContext;
  validation: ValidationQueue;
  ingest: IngestConsumer;
  webhooks: WebhookDispatcher;
  /** Starts consuming events and sending webhooks (once the endpoint is known). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface WebhookWiring {
  /** How a delivery looks in webhook payloads (the JSON API's view; portal/ is the composition root's to import). */
  view: DeliveryView;
  settings?: WebhookSettings | undefined;
}

export async function createDeliveryPlatform(services: Services, deliveries: DeliveryStore, platform: PlatformInfo, wiring: WebhookWiring): Promise<DeliveryPlatform> {
  const context: DeliveryContext = {
    meta: services.meta,
    iam: services.iam,
    deliveries,
    blobs: services.blobs,
    clock: services.clock,
    log: services.log,
    platform,
    onPoliciesChanged: () => services.identityPolicies.invalidate(),
  };
  const media = await MediaProbeValidator.create();
  const webhooks = new WebhookDispatcher(context, wiring.view, wiring.settings);
  const effects = (records: DeliveryRecord[]) => webhooks.deliveriesFor(records);
  const validation = new ValidationQueue(context, createDeliveryValidator(context, media), effects);
  const ingest = new IngestConsumer(context, validation, effects);
  return {
    context,
    validation,
    ingest,
    webhooks,
    async start() {
      webhooks.start(validation);
      await ingest.start();
    },
    async stop() {
      await ingest.stop();
      await validation.idle();
      await webhooks.stop();
      media.close();
    },
  };
}
