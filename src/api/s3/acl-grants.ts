// S3 ACLs in requests and responses: canned ACLs (x-amz-acl), grant headers (x-amz-grant-*), AccessControlPolicy
// documents, and the AccessControlPolicy that GetBucketAcl / GetObjectAcl answer.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectAcl.html
import { S3Error } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { groupUris } from '../../iam/acl-permissions.js';
import { childOf, childrenOf, el, textOf, wrap, xmlDocument, type XmlNode } from '../../protocol/xml.js';
import type { AccessControlList, AclGrant, AclGrantee, AclGroup, AclPermission, AccountRecord } from '../../storage/types.js';
import { header, type RequestContext } from '../context.js';

export const cannedAcls = [
  'private', 'public-read', 'public-read-write', 'authenticated-read', 'aws-exec-read',
  'bucket-owner-read', 'bucket-owner-full-control', 'log-delivery-write',
] as const;
export type CannedAcl = (typeof cannedAcls)[number];

const permissions: readonly AclPermission[] = ['FULL_CONTROL', 'WRITE', 'WRITE_ACP', 'READ', 'READ_ACP'];

/** x-amz-grant-* header → the permission it grants. */
const grantHeaders: readonly (readonly [string, AclPermission])[] = [
  ['x-amz-grant-read', 'READ'], ['x-amz-grant-write', 'WRITE'], ['x-amz-grant-read-acp', 'READ_ACP'],
  ['x-amz-grant-write-acp', 'WRITE_ACP'], ['x-amz-grant-full-control', 'FULL_CONTROL'],
];

/** The canonical user AWS names for aws-exec-read (EC2 reading AMI bundles); it is no account of this server. */
const awsExecReadId = '6aa5a366c34c1cbe25dc49211496e913e0351eb0e8c37aa3477e40942ec6b97c';
const awsExecReadGrantee: AclGrantee = { type: 'CanonicalUser', id: awsExecReadId };

export interface AclOwners {
  /** The resource's owner: the bucket owner for bucket ACLs, the object owner for object ACLs. */
  owner: AccountRecord;
  /** The bucket's owner (bucket-owner-read and bucket-owner-full-control name it on objects). */
  bucketOwner: AccountRecord;
  /** Bucket ACLs ignore bucket-owner-read and bucket-owner-full-control (they mean private there). */
  forBucket: boolean;
}

export function hasGrantHeaders(ctx: RequestContext): boolean {
  return Object.keys(ctx.headers).some((h) => h.startsWith('x-amz-grant-'));
}

/** x-amz-acl, validated; undefined when absent. */
export function cannedAclHeader(ctx: RequestContext): CannedAcl | undefined {
  const value = header(ctx, 'x-amz-acl');
  if (value === undefined) return undefined;
  if (!(cannedAcls as readonly string[]).includes(value)) throw new S3Error('InvalidArgument', undefined, { ArgumentName: 'x-amz-acl', ArgumentValue: value });
  return value as CannedAcl;
}

function canonicalUser(account: AccountRecord): AclGrantee {
  return { type: 'CanonicalUser', id: account.canonicalUserId, accountId: account.accountId };
}

/** AWS's canned ACL table (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl). */
export function cannedAclGrants(canned: CannedAcl, owners: AclOwners): AccessControlList {
  const owner = canonicalUser(owners.owner);
  const grants: AclGrant[] = [{ grantee: owner, permission: 'FULL_CONTROL' }];
  const group = (name: AclGroup, permission: AclPermission): void => {
    grants.push({ grantee: { type: 'Group', group: name }, permission });
  };
  const otherBucketOwner = !owners.forBucket && owners.bucketOwner.accountId !== owners.owner.accountId;
  switch (canned) {
    case 'private':
      break;
    case 'public-read':
      group('AllUsers', 'READ');
      break;
    case 'public-read-write':
      group('AllUsers', 'READ');
      group('AllUsers', 'WRITE');
      break;
    case 'authenticated-read':
      group('AuthenticatedUsers', 'READ');
      break;
    case 'aws-exec-read':
      grants.push({ grantee: awsExecReadGrantee, permission: 'READ' });
      break;
    case 'bucket-owner-read':
      if (otherBucketOwner) grants.push({ grantee: canonicalUser(owners.bucketOwner), permission: 'READ' });
      break;
    case 'bucket-owner-full-control':
      if (otherBucketOwner) grants.push({ grantee: canonicalUser(owners.bucketOwner), permission: 'FULL_CONTROL' });
      break;
    case 'log-delivery-write':
      group('LogDelivery', 'WRITE');
      group('LogDelivery', 'READ_ACP');
      break;
  }
  return { grants };
}

/** Finds accounts by canonical user id (the few accounts of a server are read once per ACL). */
export class GranteeResolver {
  private accounts: Promise<AccountRecord[]> | undefined;

  constructor(private readonly ctx: RequestContext) {}

  async canonicalUser(id: string): Promise<AclGrantee> {
    this.accounts ??= this.ctx.services.meta.listAccounts();
    const account = (await this.accounts).find((a) => a.canonicalUserId === id);
    if (account) return canonicalUser(account);
    if (id === awsExecReadId) return awsExecReadGrantee;
    throw new S3Error('InvalidArgument', 'Invalid id', { ArgumentName: 'CanonicalUser/ID', ArgumentValue: id });
  }

  group(uri: string): AclGrantee {
    const entry = Object.entries(groupUris).find(([, value]) => value === uri);
    if (!entry) throw new S3Error('InvalidArgument', 'Invalid group uri', { ArgumentName: 'Group/URI', ArgumentValue: uri });
    return { type: 'Group', group: entry[0] as AclGroup };
  }

  /** Accounts here have no e-mail address, so no address resolves (as on AWS for an unknown address). */
  email(address: string): never {
    throw new S3Error('UnresolvableGrantByEmailAddress', undefined, { EmailAddress: address });
  }
}

/**
 * The grants of x-amz-grant-read/-write/-read-acp/-write-acp/-full-control headers: comma-separated
 * `id="…"`, `uri="…"` or `emailAddress="…"` entries. Undefined when there are none.
 */
export async function grantHeaderAcl(ctx: RequestContext, resolver: GranteeResolver): Promise<AccessControlList | undefined> {
  if (!hasGrantHeaders(ctx)) return undefined;
  const grants: AclGrant[] = [];
  for (const [name, permission] of grantHeaders) {
    const value = header(ctx, name);
    if (value === undefined) continue;
    for (const entry of splitGrantList(value, name)) {
      const { type, id } = entry;
      const grantee = type === 'id' ? await resolver.canonicalUser(id)
        : type === 'uri' ? resolver.group(id)
          : resolver.email(id);
      grants.push({ grantee, permission });
    }
  }
  for (const name of Object.keys(ctx.headers)) {
    if (name.startsWith('x-amz-grant-') && !grantHeaders.some(([known]) => known === name)) {
      throw new S3Error('InvalidArgument', `Unknown grant header ${name}`, { ArgumentName: name });
    }
  }
  return checkGrantCount({ grants });
}

/** `id="a", uri="b"` → [{type:'id', id:'a'}, …]; the value may also be unquoted. */
function splitGrantList(value: string, headerName: string): { type: 'id' | 'uri' | 'emailaddress'; id: string }[] {
  const out: { type: 'id' | 'uri' | 'emailaddress'; id: string }[] = [];
  const pattern = /\s*([A-Za-z]+)\s*=\s*(?:"([^"]*)"|([^,\s"]*))\s*(,|$)/y;
  let at = 0;
  while (at < value.length) {
    pattern.lastIndex = at;
    const m = pattern.exec(value);
    const type = m?.[1]?.toLowerCase();
    if (!m || (type !== 'id' && type !== 'uri' && type !== 'emailaddress') || m[0] === '') {
      throw new S3Error('InvalidArgument', 'Argument format not recognized', { ArgumentName: headerName, ArgumentValue: value });
    }
    out.push({ type, id: m[2] ?? m[3] ?? '' });
    at = pattern.lastIndex;
    if (m[4] === '') break;
  }
  return out;
}

/**
 * An AccessControlPolicy document: its Owner must be the resource's owner (AWS refuses to change an owner
 * with AccessDenied) and its grantees must resolve. A document that does not fit the schema (no Owner,
 * a grantee without ID/URI/EmailAddress, an unknown permission) is MalformedACLError.
 */
export async function accessControlPolicyAcl(policy: XmlNode, owner: AccountRecord, resolver: GranteeResolver): Promise<AccessControlList> {
  const ownerNode = childOf(policy, 'Owner');
  const ownerId = textOf(ownerNode, 'ID');
  if (ownerId === undefined || ownerId.trim() === '') throw new S3Error('MalformedACLError');
  if (ownerId.trim() !== owner.canonicalUserId) throw new S3Error('AccessDenied');
  const grants: AclGrant[] = [];
  for (const grant of childrenOf(childOf(policy, 'AccessControlList'), 'Grant')) {
    const permission = textOf(grant, 'Permission')?.trim() as AclPermission | undefined;
    if (permission === undefined || !permissions.includes(permission)) throw new S3Error('MalformedACLError');
    const grantee = childOf(grant, 'Grantee');
    const id = textOf(grantee, 'ID')?.trim();
    const uri = textOf(grantee, 'URI')?.trim();
    const email = textOf(grantee, 'EmailAddress')?.trim();
    // The grantee's xsi:type is implied by the element it carries (AWS requires exactly one of them).
    if ([id, uri, email].filter((v) => v !== undefined).length !== 1) throw new S3Error('MalformedACLError');
    const resolved = id !== undefined ? await resolver.canonicalUser(id) : uri !== undefined ? resolver.group(uri) : resolver.email(email!);
    grants.push({ grantee: resolved, permission });
  }
  return checkGrantCount({ grants });
}

function checkGrantCount(acl: AccessControlList): AccessControlList {
  if (acl.grants.length > limits.aclGrantsMax) {
    throw new S3Error('MalformedACLError', `An access control list can have at most ${limits.aclGrantsMax} grants.`);
  }
  return acl;
}

/** GetBucketAcl / GetObjectAcl: the owner and every grant, grantees typed with xsi:type as S3 writes them. */
export async function accessControlPolicyXml(ctx: RequestContext, owner: AccountRecord, acl: AccessControlList): Promise<string> {
  const names = new Map<string, string>();
  const grants: string[] = [];
  for (const grant of acl.grants) {
    grants.push(wrap('Grant', (await granteeXml(ctx, grant.grantee, names)) + el('Permission', grant.permission)));
  }
  const ownerXml = wrap('Owner', el('ID', owner.canonicalUserId) + el('DisplayName', owner.name));
  return xmlDocument('AccessControlPolicy', ownerXml + wrap('AccessControlList', grants.join('')));
}

const xsi = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

async function granteeXml(ctx: RequestContext, grantee: AclGrantee, names: Map<string, string>): Promise<string> {
  if (grantee.type === 'Group') return `<Grantee ${xsi} xsi:type="Group">${el('URI', groupUris[grantee.group])}</Grantee>`;
  let name = grantee.accountId !== undefined ? names.get(grantee.accountId) : undefined;
  if (grantee.accountId !== undefined && name === undefined) {
    name = (await ctx.services.meta.getAccount(grantee.accountId))?.name;
    if (name !== undefined) names.set(grantee.accountId, name);
  }
  return `<Grantee ${xsi} xsi:type="CanonicalUser">${el('ID', grantee.id)}${name !== undefined ? el('DisplayName', name) : ''}</Grantee>`;
}
