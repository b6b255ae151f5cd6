// GetBucketAcl, PutBucketAcl, GetObjectAcl, PutObjectAcl, and who owns (with which ACL) an object a request writes.
// Buckets with BucketOwnerEnforced (the default, as on AWS since April 2023) take no ACLs: reads answer the
// owner-only ACL and writes accept only bucket-owner-full-control (or its XML equivalent). Buckets with
// ObjectWriter or BucketOwnerPreferred keep a bucket ACL and an ACL per object version, which authorization
// honours (iam/acl-permissions.ts).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
import { S3Error } from '../../core/errors.js';
import { aclOrDefault, aclsEnabled, effectiveObjectOwner, isPublicAcl } from '../../iam/acl-permissions.js';
import type { XmlNode } from '../../protocol/xml.js';
import type { AccessControlList, AccountRecord, BucketRecord } from '../../storage/types.js';
import { emptyResponse, header, xmlResponse, type ApiResponse, type RequestContext } from '../context.js';
import {
  accessControlPolicyAcl, accessControlPolicyXml, cannedAclGrants, cannedAclHeader, GranteeResolver, grantHeaderAcl,
  hasGrantHeaders, type AclOwners,
} from './acl-grants.js';
import type { BucketAccess } from './bucket-access.js';
import { loadReadableVersion, requestedVersionId } from './object-get.js';
import { storeCall } from './store-errors.js';
import { readXmlBody } from './xml-body.js';

/** The account record (an owner always exists; a stand-in keeps rendering total). */
export async function accountRecord(ctx: RequestContext, accountId: string): Promise<AccountRecord> {
  return (await ctx.services.meta.getAccount(accountId)) ?? { accountId, name: accountId, createdMs: 0, canonicalUserId: accountId };
}

function ownerOnly(owner: AccountRecord): AccessControlList {
  return aclOrDefault(undefined, owner.accountId, owner.canonicalUserId);
}

export async function getBucketAcl(ctx: RequestContext, access: BucketAccess): Promise<ApiResponse> {
  const { bucket } = access;
  const owner = await accountRecord(ctx, bucket.accountId);
  const acl = aclsEnabled(bucket) ? aclOrDefault(bucket.acl, owner.accountId, owner.canonicalUserId) : ownerOnly(owner);
  return xmlResponse(await accessControlPolicyXml(ctx, owner, acl));
}

export async function getObjectAcl(ctx: RequestContext, access: BucketAccess, key: string): Promise<ApiResponse> {
  const { bucket } = access;
  const version = await loadReadableVersion(ctx, access, key);
  const owner = await accountRecord(ctx, effectiveObjectOwner(bucket, version.ownerAccountId));
  const acl = aclsEnabled(bucket) ? aclOrDefault(version.acl, owner.accountId, owner.canonicalUserId) : ownerOnly(owner);
  const headers = bucket.versioning !== 'Unversioned' ? { 'x-amz-version-id': version.versionId } : {};
  return xmlResponse(await accessControlPolicyXml(ctx, owner, acl), 200, headers);
}

export async function putBucketAcl(ctx: RequestContext, access: BucketAccess): Promise<ApiResponse> {
  const { bucket } = access;
  const owner = await accountRecord(ctx, bucket.accountId);
  const acl = await requestedAcl(ctx, bucket, { owner, bucketOwner: owner, forBucket: true });
  if (acl !== undefined) await ctx.services.meta.updateBucket(bucket.name, { acl });
  return emptyResponse(200);
}

export async function putObjectAcl(ctx: RequestContext, access: BucketAccess, key: string): Promise<ApiResponse> {
  const { bucket } = access;
  const version = await loadReadableVersion(ctx, access, key);
  const owner = await accountRecord(ctx, effectiveObjectOwner(bucket, version.ownerAccountId));
  const bucketOwner = await accountRecord(ctx, bucket.accountId);
  const acl = await requestedAcl(ctx, bucket, { owner, bucketOwner, forBucket: false });
  if (acl !== undefined) {
    const versionId = requestedVersionId(ctx, bucket);
    await storeCall(ctx.services.meta.putObjectAcl(bucket.name, key, versionId, acl), { bucket: bucket.name, key, ...(versionId ? { versionId } : {}) });
  }
  const headers = bucket.versioning !== 'Unversioned' ? { 'x-amz-version-id': version.versionId } : {};
  return emptyResponse(200, headers);
}

/**
 * The ACL a PutBucketAcl / PutObjectAcl request sets: a canned ACL, grant headers or an AccessControlPolicy
 * body (exactly one). Undefined on a BucketOwnerEnforced bucket, which accepts only bucket-owner-full-control
 * or an owner-only policy and changes nothing. `private` is refused there too, as AWS refuses it
 * (e.g. https://github.com/hashicorp/terraform-provider-aws/issues/34079: PutBucketAcl with `acl = "private"`
 * on a new bucket answers AccessControlListNotSupported).
 */
async function requestedAcl(ctx: RequestContext, bucket: BucketRecord, owners: AclOwners): Promise<AccessControlList | undefined> {
  const body = await readAclBody(ctx);
  const grantHeaders = hasGrantHeaders(ctx);
  const cannedText = header(ctx, 'x-amz-acl');
  if (cannedText !== undefined && grantHeaders) throw new S3Error('InvalidRequest', 'Specifying both Canned ACLs and Header Grants is not allowed');
  if (body !== undefined && (cannedText !== undefined || grantHeaders)) throw new S3Error('UnexpectedContent');
  const resolver = new GranteeResolver(ctx);
  if (!aclsEnabled(bucket)) {
    const accepted = cannedText === 'bucket-owner-full-control' ||
      (cannedText === undefined && !grantHeaders && (body === undefined || (await grantsOwnerOnly(body, owners.owner, resolver))));
    if (!accepted) throw new S3Error('AccessControlListNotSupported');
    return undefined;
  }
  const canned = cannedAclHeader(ctx);
  const acl = canned !== undefined ? cannedAclGrants(canned, owners)
    : grantHeaders ? await grantHeaderAcl(ctx, resolver)
      : body !== undefined ? await accessControlPolicyAcl(body, owners.owner, resolver)
        : undefined;
  if (acl === undefined) throw new S3Error('MissingSecurityHeader', undefined, { MissingHeaderName: 'x-amz-acl' });
  checkBlockPublicAcls(bucket, acl);
  return acl;
}

/** BlockPublicAcls (S3 Block Public Access): a request that sets a public ACL is refused. */
export function checkBlockPublicAcls(bucket: BucketRecord, acl: AccessControlList | undefined): void {
  if (bucket.publicAccessBlock?.blockPublicAcls && isPublicAcl(acl)) {
    throw new S3Error('AccessDenied', 'Public ACLs are blocked by the BlockPublicAcls block public access setting of this bucket.');
  }
}

async function readAclBody(ctx: RequestContext): Promise<XmlNode | undefined> {
  try {
    return await readXmlBody(ctx, 'AccessControlPolicy', { optional: true });
  } catch (error) {
    if (error instanceof S3Error && error.code === 'MalformedXML') throw new S3Error('MalformedACLError');
    throw error;
  }
}

/** True when the policy grants FULL_CONTROL to the owner alone (the XML form of bucket-owner-full-control). */
async function grantsOwnerOnly(policy: XmlNode, owner: AccountRecord, resolver: GranteeResolver): Promise<boolean> {
  let acl: AccessControlList;
  try {
    acl = await accessControlPolicyAcl(policy, owner, resolver);
  } catch (error) {
    if (error instanceof S3Error && (error.code === 'InvalidArgument' || error.code === 'UnresolvableGrantByEmailAddress')) return false;
    throw error;
  }
  return acl.grants.length > 0 && acl.grants.every((grant) =>
    grant.permission === 'FULL_CONTROL' && grant.grantee.type === 'CanonicalUser' && grant.grantee.accountId === owner.accountId);
}

export interface WriteOwnership {
  ownerAccountId: string;
  /** The new object's ACL; undefined for the default (private) and on BucketOwnerEnforced buckets. */
  acl?: AccessControlList | undefined;
}

/**
 * Who owns an object a request writes (PutObject, CopyObject, CreateMultipartUpload, POST) and its ACL, from
 * the bucket's Object Ownership and the request's x-amz-acl / x-amz-grant-* headers:
 * BucketOwnerEnforced: the bucket owner; only bucket-owner-full-control (or no ACL) is accepted.
 * BucketOwnerPreferred: the bucket owner when the writer sends bucket-owner-full-control, else the writer.
 * ObjectWriter (and buckets without ownership controls): the writer.
 * An anonymous writer's object belongs to the bucket owner (there is no account to own it; RGW does the same,
 * https://github.com/ceph/ceph/pull/34462). CopyObject never copies the source's ACL.
 */
export async function objectWriteOwnership(ctx: RequestContext, bucket: BucketRecord): Promise<WriteOwnership> {
  const cannedText = header(ctx, 'x-amz-acl');
  const grantHeaders = hasGrantHeaders(ctx);
  if (!aclsEnabled(bucket)) {
    if ((cannedText !== undefined && cannedText !== 'bucket-owner-full-control') || grantHeaders) throw new S3Error('AccessControlListNotSupported');
    return { ownerAccountId: bucket.accountId };
  }
  const canned = cannedAclHeader(ctx);
  if (canned !== undefined && grantHeaders) throw new S3Error('InvalidRequest', 'Specifying both Canned ACLs and Header Grants is not allowed');
  const writerAccountId = ctx.principal.accountId ?? bucket.accountId;
  const ownerAccountId = bucket.ownership === 'BucketOwnerPreferred' && canned === 'bucket-owner-full-control' ? bucket.accountId : writerAccountId;
  if (canned === undefined && !grantHeaders) return { ownerAccountId };
  const owners: AclOwners = { owner: await accountRecord(ctx, ownerAccountId), bucketOwner: await accountRecord(ctx, bucket.accountId), forBucket: false };
  const acl = canned !== undefined ? cannedAclGrants(canned, owners) : await grantHeaderAcl(ctx, new GranteeResolver(ctx));
  checkBlockPublicAcls(bucket, acl);
  return { ownerAccountId, acl };
}

/** The ACL of a bucket being created (x-amz-acl or x-amz-grant-*); undefined for the default (private). */
export async function createBucketAcl(ctx: RequestContext, owner: AccountRecord): Promise<AccessControlList | undefined> {
  const canned = cannedAclHeader(ctx);
  const grantHeaders = hasGrantHeaders(ctx);
  if (canned !== undefined && grantHeaders) throw new S3Error('InvalidRequest', 'Specifying both Canned ACLs and Header Grants is not allowed');
  if (canned !== undefined) return cannedAclGrants(canned, { owner, bucketOwner: owner, forBucket: true });
  return grantHeaderAcl(ctx, new GranteeResolver(ctx));
}

/** A bucket ACL that grants only its owner (PutBucketOwnershipControls to BucketOwnerEnforced needs one). */
export function isOwnerOnlyAcl(acl: AccessControlList | undefined, ownerAccountId: string): boolean {
  return acl === undefined || acl.grants.every((grant) => grant.grantee.type === 'CanonicalUser' && grant.grantee.accountId === ownerAccountId);
}
