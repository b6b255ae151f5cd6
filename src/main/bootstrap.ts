// First start: the platform account and root key, the delivery bucket, and the files operators need.
import { randomBytes } from 'node:crypto';
import { writeFile, rename, readFile } from 'node:fs/promises';
import type { Clock } from '../core/clock.js';
import type { MetaStore } from '../storage/meta-store.js';
import { createAccountWithRootKey } from '../iam/accounts.js';
import { hashPassword } from '../core/password-hash.js';
import { parseCredentialsFile, type DataDirLayout } from './data-dir.js';

export interface PlatformFacts {
  accountId: string;
  deliveryBucket: string;
  region: string;
  /** True when this start created them. */
  created: boolean;
}

const settingAccount = 'platform.accountId';
const settingBucket = 'platform.deliveryBucket';

/** Writes a file atomically with mode 0600 (secrets: credentials, logins). */
export async function writeSecretFile(path: string, content: string): Promise<void> {
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, content, { mode: 0o600 });
  await rename(temp, path);
}

export async function bootstrapPlatform(meta: MetaStore, clock: Clock, layout: DataDirLayout, region: string, deliveryBucketName?: string): Promise<PlatformFacts> {
  const existing = await meta.getSetting(settingAccount);
  if (existing) {
    return { accountId: existing, deliveryBucket: (await meta.getSetting(settingBucket))!, region, created: false };
  }
  const { account, accessKeyId, secretAccessKey } = await createAccountWithRootKey(meta, clock, { name: 'platform' });
  const deliveryBucket = deliveryBucketName ?? `s3push-deliveries-${account.accountId}`;
  await meta.createBucket({
    name: deliveryBucket, accountId: account.accountId, region, createdMs: clock.nowMs(), versioning: 'Enabled', ownership: 'BucketOwnerEnforced',
  });
  await writeSecretFile(layout.credentials, [
    '# s3push platform credentials, written at first start (AWS shared-credentials format).',
    '[platform]',
    `aws_access_key_id = ${accessKeyId}`,
    `aws_secret_access_key = ${secretAccessKey}`,
    '',
  ].join('\n'));
  const password = randomBytes(18).toString('base64url');
  await writeSecretFile(layout.portalLogin, `user: operator\npassword: ${password}\n`);
  await meta.putSetting('portal.operatorPasswordHash', hashPassword(password));
  await writeFile(layout.serverInfo, JSON.stringify({ platformAccountId: account.accountId, deliveryBucket, region }, null, 2) + '\n');
  await meta.putSetting(settingBucket, deliveryBucket);
  await meta.putSetting(settingAccount, account.accountId);
  return { accountId: account.accountId, deliveryBucket, region, created: true };
}

export async function readPlatformCredentials(layout: DataDirLayout): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  const profiles = parseCredentialsFile(await readFile(layout.credentials, 'utf8'));
  const platform = profiles.get('platform');
  if (!platform?.['aws_access_key_id'] || !platform['aws_secret_access_key']) throw new Error(`no [platform] profile in ${layout.credentials}`);
  return { accessKeyId: platform['aws_access_key_id'], secretAccessKey: platform['aws_secret_access_key'] };
}
