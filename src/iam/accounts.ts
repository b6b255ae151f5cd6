// Accounts and their root access keys: the emulated AWS accounts partners and the platform live in.
import { createHash, randomBytes } from 'node:crypto';
import { S3Error } from '../core/errors.js';
import { newAccessKeyId, newAccountId, newSecretAccessKey } from '../core/ids.js';
import type { Clock } from '../core/clock.js';
import { accountRootArn } from '../core/arn.js';
import { StoreConflict, type MetaStore } from '../storage/meta-store.js';
import type { AccountRecord } from '../storage/types.js';

export interface CreatedAccount {
  account: AccountRecord;
  accessKeyId: string;
  secretAccessKey: string;
}

const accountNamePattern = /^[A-Za-z0-9][A-Za-z0-9_+=,.@-]{0,63}$/;

export async function createAccountWithRootKey(meta: MetaStore, clock: Clock, input: { name: string; accountId?: string }): Promise<CreatedAccount> {
  if (!accountNamePattern.test(input.name)) throw new S3Error('InvalidArgument', 'Account names are 1-64 characters of letters, digits and _+=,.@- starting with a letter or digit.');
  if (input.accountId !== undefined && !/^\d{12}$/.test(input.accountId)) throw new S3Error('InvalidArgument', 'An account id is exactly 12 digits.');
  const accountId = input.accountId ?? (await unusedAccountId(meta));
  const nowMs = clock.nowMs();
  const account: AccountRecord = {
    accountId,
    name: input.name,
    createdMs: nowMs,
    canonicalUserId: createHash('sha256').update(accountId).update(randomBytes(16)).digest('hex'),
  };
  try {
    await meta.createAccount(account);
  } catch (error) {
    if (error instanceof StoreConflict && error.reason === 'AccountExists') throw new S3Error('Conflict', `An account with id ${accountId} or name ${input.name} already exists.`);
    throw error;
  }
  const accessKeyId = newAccessKeyId('AKIA');
  const secretAccessKey = newSecretAccessKey();
  await meta.putAccessKey({
    accessKeyId, secretAccessKey, accountId, principalKind: 'Root', principalArn: accountRootArn(accountId),
    userId: accountId, status: 'Active', createdMs: nowMs,
  });
  return { account, accessKeyId, secretAccessKey };
}

async function unusedAccountId(meta: MetaStore): Promise<string> {
  for (;;) {
    const id = newAccountId();
    if (!(await meta.getAccount(id))) return id;
  }
}
