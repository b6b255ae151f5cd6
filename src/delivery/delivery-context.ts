// What the delivery modules need from the composition root: stores, clock, log and the platform's facts.
import type { Clock } from '../core/clock.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { DeliveryStore } from '../storage/delivery-store.js';
import type { IamStore } from '../storage/iam-store.js';
import type { MetaStore } from '../storage/meta-store.js';

export interface DeliveryLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface PlatformInfo {
  accountId: string;
  deliveryBucket: string;
  region: string;
  /** The AWS endpoint partners use (for generated commands). */
  endpoint: string;
}

export interface DeliveryContext {
  meta: MetaStore;
  iam: IamStore;
  deliveries: DeliveryStore;
  blobs: BlobStore;
  clock: Clock;
  log: DeliveryLogger;
  platform: PlatformInfo;
  /** Called after IAM or access point changes so authorization caches refresh at once. */
  onPoliciesChanged(): void;
}
