// Wires the delivery platform: its context, the validation queue and the ingest consumer.
import type { Services } from '../api/services.js';
import type { DeliveryContext, PlatformInfo } from '../delivery/delivery-context.js';
import { IngestConsumer } from '../delivery/ingest/ingest-consumer.js';
import { ValidationQueue } from '../delivery/ingest/validation-queue.js';
import { createDeliveryValidator } from '../delivery/ingest/validate-delivery.js';
import { MediaProbeValidator } from '../delivery/validators/media-probe.js';
import type { DeliveryStore } from '../storage/delivery-store.js';

export interface DeliveryPlatform {
  context: DeliveryContext;
  validation: ValidationQueue;
  ingest: IngestConsumer;
  stop(): Promise<void>;
}

export async function createDeliveryPlatform(services: Services, deliveries: DeliveryStore, platform: PlatformInfo): Promise<DeliveryPlatform> {
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
  const validation = new ValidationQueue(context, createDeliveryValidator(context, media));
  const ingest = new IngestConsumer(context, validation);
  return {
    context,
    validation,
    ingest,
    async stop() {
      await ingest.stop();
      await validation.idle();
      media.close();
    },
  };
}
