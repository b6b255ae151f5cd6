// Who is calling: the authenticated principal a request carries through authorization and into records.
import type { AccessKeyRecord } from '../storage/types.js';
import { accountRootArn } from '../core/arn.js';

export interface Principal {
  kind: 'Anonymous' | 'Root' | 'User' | 'AssumedRole';
  /** Absent only for anonymous callers. */
  accountId?: string;
  /** root ARN, user ARN or assumed-role session ARN; '*' for anonymous. */
  arn: string;
  /** aws:PrincipalArn: the role ARN for sessions, else the same as arn. */
  principalArn: string;
  /** aws:userid */
  userId: string;
  username?: string;
  /** The key that signed the request, when any. */
  accessKey?: AccessKeyRecord;
}

export const anonymousPrincipal: Principal = { kind: 'Anonymous', arn: '*', principalArn: '*', userId: 'anonymous' };

export function principalFromKey(key: AccessKeyRecord): Principal {
  switch (key.principalKind) {
    case 'Root':
      return { kind: 'Root', accountId: key.accountId, arn: accountRootArn(key.accountId), principalArn: accountRootArn(key.accountId), userId: key.accountId, accessKey: key };
    case 'User': {
      const username = key.principalArn.slice(key.principalArn.lastIndexOf('/') + 1);
      return { kind: 'User', accountId: key.accountId, arn: key.principalArn, principalArn: key.principalArn, userId: key.userId, username, accessKey: key };
    }
    case 'AssumedRole':
      return { kind: 'AssumedRole', accountId: key.accountId, arn: key.principalArn, principalArn: key.roleArn ?? key.principalArn, userId: key.userId, accessKey: key };
  }
}
