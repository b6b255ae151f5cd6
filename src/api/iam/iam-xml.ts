// IAM response elements, named and ordered as in the botocore IAM model (User, Role, Policy, PolicyVersion, AccessKey…).
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Types.html
import { accountRootArn } from '../../core/arn.js';
import { el, wrap } from '../../protocol/xml.js';
import type { GroupRecord, IamTag, ManagedPolicyRecord, PolicyVersionRecord, RoleRecord, UserRecord } from '../../storage/iam-store.js';

/** IAM writes times as ISO-8601 with whole seconds: 2025-01-15T10:00:00Z. */
export function iamDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** IAM returns policy documents URL-encoded (RFC 3986); botocore decodes them, other SDKs leave that to the caller. */
export function encodedDocument(document: string): string {
  return encodeURIComponent(document);
}

/** A Query-protocol list: `<Name><member>…</member>…</Name>`, or `<Name/>` when empty. */
export function xmlList(name: string, members: readonly string[]): string {
  return members.length === 0 ? `<${name}/>` : wrap(name, members.map((m) => wrap('member', m)).join(''));
}

function tagsXml(tags: readonly IamTag[]): string {
  return tags.length === 0 ? '' : xmlList('Tags', tags.map((t) => el('Key', t.key) + el('Value', t.value)));
}

function boundaryXml(arn: string | undefined): string {
  return arn === undefined ? '' : wrap('PermissionsBoundary', el('PermissionsBoundaryType', 'PermissionsBoundaryPolicy') + el('PermissionsBoundaryArn', arn));
}

/** `listing`: the List* operations leave out tags and the permissions boundary, as AWS's do. */
export function userXml(user: UserRecord, listing = false): string {
  return el('Path', user.path) + el('UserName', user.name) + el('UserId', user.userId) + el('Arn', user.arn) + el('CreateDate', iamDate(user.createdMs)) +
    (listing ? '' : boundaryXml(user.permissionsBoundaryArn) + tagsXml(user.tags));
}

export function groupXml(group: GroupRecord): string {
  return el('Path', group.path) + el('GroupName', group.name) + el('GroupId', group.groupId) + el('Arn', group.arn) + el('CreateDate', iamDate(group.createdMs));
}

/** The account's root user as GetUser answers it: no path or name; the account id is its UserId. */
export function rootUserXml(accountId: string, createdMs: number): string {
  return el('UserId', accountId) + el('Arn', accountRootArn(accountId)) + el('CreateDate', iamDate(createdMs));
}

export type RoleView = 'full' | 'created' | 'listing';

/**
 * GetRole answers everything (RoleLastUsed is empty: s3push does not record role use); CreateRole
 * leaves out RoleLastUsed; ListRoles also leaves out the boundary and tags, as AWS's does.
 */
export function roleXml(role: RoleRecord, view: RoleView): string {
  return el('Path', role.path) + el('RoleName', role.name) + el('RoleId', role.roleId) + el('Arn', role.arn) + el('CreateDate', iamDate(role.createdMs)) +
    el('AssumeRolePolicyDocument', encodedDocument(role.trustPolicy)) + el('Description', role.description) +
    el('MaxSessionDuration', role.maxSessionDurationSeconds) +
    (view === 'listing' ? '' : boundaryXml(role.permissionsBoundaryArn) + tagsXml(role.tags)) +
    (view === 'full' ? '<RoleLastUsed/>' : '');
}

/** `listing`: ListPolicies leaves out the description and tags. */
export function policyXml(policy: ManagedPolicyRecord, boundaryUsageCount: number, listing = false): string {
  return el('PolicyName', policy.name) + el('PolicyId', policy.policyId) + el('Arn', policy.arn) + el('Path', policy.path) +
    el('DefaultVersionId', policy.defaultVersionId) + el('AttachmentCount', policy.attachmentCount) +
    el('PermissionsBoundaryUsageCount', boundaryUsageCount) + el('IsAttachable', true) +
    (listing ? '' : el('Description', policy.description)) +
    el('CreateDate', iamDate(policy.createdMs)) + el('UpdateDate', iamDate(policy.updatedMs)) + (listing ? '' : tagsXml(policy.tags));
}

/** GetPolicyVersion includes the document; CreatePolicyVersion and ListPolicyVersions do not. */
export function policyVersionXml(version: PolicyVersionRecord, withDocument: boolean): string {
  return (withDocument ? el('Document', encodedDocument(version.document)) : '') + el('VersionId', version.versionId) +
    el('IsDefaultVersion', version.isDefault) + el('CreateDate', iamDate(version.createdMs));
}

export function attachedPolicyXml(policy: Pick<ManagedPolicyRecord, 'name' | 'arn'>): string {
  return el('PolicyName', policy.name) + el('PolicyArn', policy.arn);
}

/** IsTruncated, then Marker only when there is more. */
export function pageTail(isTruncated: boolean, marker: string | undefined): string {
  return el('IsTruncated', isTruncated) + (isTruncated ? el('Marker', marker) : '');
}
