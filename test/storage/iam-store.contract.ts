// The IamStore contract suite: every backend (SQLite, PostgreSQL) runs it unchanged, through the interface only.
import { describe } from 'node:test';
import type { IamStore } from '../../src/storage/iam-store.js';
import { groupTests } from './iam-store-contract/groups.js';
import { keyAndAccessPointTests } from './iam-store-contract/keys-and-access-points.js';
import { policyTests } from './iam-store-contract/policies.js';
import { principalTests } from './iam-store-contract/principals.js';

/** Registers the suite; `open` must return a fresh, empty store for every test. */
export function runIamStoreContract(
  name: string,
  open: () => Promise<{ store: IamStore; cleanup(): Promise<void> }>,
): void {
  describe(`IamStore contract: ${name}`, () => {
    principalTests(open);
    groupTests(open);
    policyTests(open);
    keyAndAccessPointTests(open);
  });
}
