// The MetaStore contract suite: every backend (SQLite, PostgreSQL) runs it unchanged, through the interface only.
import { describe } from 'node:test';
import type { MetaStore } from '../../src/storage/meta-store.js';
import { aclAndCorsTests } from './meta-store-contract/acl-and-cors.js';
import { blobTests, conditionTests, eventTests } from './meta-store-contract/blobs-events-conditions.js';
import { identityAndBucketTests } from './meta-store-contract/identity-and-buckets.js';
import { listingTests } from './meta-store-contract/listing.js';
import { uploadTests } from './meta-store-contract/uploads.js';
import { versioningTests } from './meta-store-contract/versioning.js';

/** Registers the suite; `open` must return a fresh, empty store for every test. */
export function runMetaStoreContract(
  name: string,
  open: () => Promise<{ store: MetaStore; cleanup(): Promise<void> }>,
): void {
  describe(`MetaStore contract: ${name}`, () => {
    identityAndBucketTests(open);
    versioningTests(open);
    listingTests(open);
    uploadTests(open);
    blobTests(open);
    conditionTests(open);
    eventTests(open);
    aclAndCorsTests(open);
  });
}
