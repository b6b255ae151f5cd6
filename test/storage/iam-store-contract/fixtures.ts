// Shared records and helpers for the IamStore contract suite (uses only the IamStore interface).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  IamConflict, type GroupRecord, type IamStore, type ManagedPolicyRecord, type PolicyOwner, type RoleRecord, type UserRecord,
} from '../../../src/storage/iam-store.js';
import type { AccessKeyRecord } from '../../../src/storage/types.js';

export type OpenIamStore = () => Promise<{ store: IamStore; cleanup(): Promise<void> }>;

export const accountA = '111122223333';
export const accountB = '444455556666';
export const t0 = 1_700_000_000_000;

/** A test with a fresh store, cleaned up whatever happens. */
export function iamTest(open: OpenIamStore, name: string, body: (store: IamStore) => Promise<void>): void {
  test(name, async () => {
    const { store, cleanup } = await open();
    try {
      await body(store);
    } finally {
      await cleanup();
    }
  });
}

export async function rejectsWith(promise: Promise<unknown>, reason: IamConflict['reason'], message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert(error instanceof IamConflict, `expected IamConflict(${reason}), got ${String(error)}`);
    assert.equal(error.reason, reason);
    if (message) assert.match(error.message, message);
    return true;
  });
}

let idCounter = 0;
function uniqueId(prefix: string): string {
  idCounter++;
  return prefix + String(idCounter).padStart(17, '0');
}

export function userRecord(name: string, path = '/', accountId = accountA): UserRecord {
  return { accountId, name, path, userId: uniqueId('AIDA'), arn: `arn:aws:iam::${accountId}:user${path}${name}`, createdMs: t0, tags: [] };
}

export function groupRecord(name: string, path = '/', accountId = accountA): GroupRecord {
  return { accountId, name, path, groupId: uniqueId('AGPA'), arn: `arn:aws:iam::${accountId}:group${path}${name}`, createdMs: t0 };
}

export function roleRecord(name: string, path = '/', accountId = accountA): RoleRecord {
  return {
    accountId, name, path, roleId: uniqueId('AROA'), arn: `arn:aws:iam::${accountId}:role${path}${name}`, createdMs: t0,
    trustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"${accountId}"},"Action":"sts:AssumeRole"}]}`,
    maxSessionDurationSeconds: 3600, tags: [],
  };
}

export function document(action: string): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
}

export function managedRecord(name: string, path = '/', accountId = accountA): ManagedPolicyRecord {
  return {
    accountId, name, path, policyId: uniqueId('ANPA'), arn: `arn:aws:iam::${accountId}:policy${path}${name}`, createdMs: t0, updatedMs: t0,
    defaultVersionId: 'v1', attachmentCount: 0, tags: [],
  };
}

/** Creates a managed policy whose v1 allows `action`; returns its ARN. */
export async function createManaged(store: IamStore, name: string, action = 's3:GetObject', path = '/'): Promise<string> {
  const policy = managedRecord(name, path);
  await store.createManagedPolicy(policy, { policyArn: policy.arn, versionId: 'v1', document: document(action), isDefault: true, createdMs: t0 });
  return policy.arn;
}

export function userKey(accessKeyId: string, user: UserRecord, createdMs = t0): AccessKeyRecord {
  return {
    accessKeyId, secretAccessKey: 'secret-' + accessKeyId, accountId: user.accountId, principalKind: 'User',
    principalArn: user.arn, userId: user.userId, status: 'Active', createdMs,
  };
}

export function rootKey(accessKeyId: string, accountId = accountA, createdMs = t0): AccessKeyRecord {
  return {
    accessKeyId, secretAccessKey: 'secret-' + accessKeyId, accountId, principalKind: 'Root',
    principalArn: `arn:aws:iam::${accountId}:root`, userId: accountId, status: 'Active', createdMs,
  };
}

export const userOwner = (name: string, accountId = accountA): PolicyOwner => ({ kind: 'user', accountId, name });
export const roleOwner = (name: string, accountId = accountA): PolicyOwner => ({ kind: 'role', accountId, name });
export const groupOwner = (name: string, accountId = accountA): PolicyOwner => ({ kind: 'group', accountId, name });

/** Drops undefined fields so records compare equal however a store represents absence. */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
