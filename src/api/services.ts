// What the composition root hands the API layer: stores, clock, configuration and shared caches.
import type { Clock } from '../core/clock.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { MetaStore } from '../storage/meta-store.js';
import type { SigningKeyCache } from '../protocol/sigv4.js';
import type { CredentialResolver } from '../iam/credential-resolver.js';
import type { IdentityPolicies, PolicyCache } from '../iam/identity-policies.js';
import type { IamStore } from '../storage/iam-store.js';
import type { ObjectOwnership } from '../storage/types.js';

export interface ServerConfig {
  /** Region this endpoint serves and reports (GetBucketLocation, access point ARNs). */
  region: string;
  /** Host names (no port) under which virtual-host-style names are recognised. */
  baseHosts: string[];
  /** The platform operator's account (owner of the delivery bucket, sole user of the admin API). */
  platformAccountId: string;
  /** Trust X-Forwarded-For for aws:SourceIp (only behind a known proxy). */
  trustForwardedFor: boolean;
  /** Object Ownership of buckets created without x-amz-object-ownership (AWS: BucketOwnerEnforced). */
  objectOwnershipDefault: ObjectOwnership;
}

export interface Services {
  config: ServerConfig;
  clock: Clock;
  meta: MetaStore;
  iam: IamStore;
  blobs: BlobStore;
  policyCache: PolicyCache;
  identityPolicies: IdentityPolicies;
  signingKeys: SigningKeyCache;
  credentials: CredentialResolver;
  log: Logger;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
