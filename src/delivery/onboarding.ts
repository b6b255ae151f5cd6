// Partner onboarding: requests (role ARNs, delivery accounts, region, source bucket), approval that provisions
// everything in one idempotent step (access point, prefix, access point policy, bucket delegation, the partner's
// IAM policy and commands), rejection with a reason, and role changes / revocation that rewrite the policies.
import { S3Error } from '../core/errors.js';
import { accessPointArn } from '../core/arn.js';
import { newToken } from '../core/ids.js';
import { newAccessPointAlias } from '../iam/access-point-names.js';
import type { OnboardingRequest, PartnerContact, PartnerRecord } from '../storage/delivery-store.js';
import type { DeliveryContext } from './delivery-context.js';
import {
  accessPointPolicy, deliveryCommands, partnerRolePolicy, withDelegation, type DeliveryCommands, type PolicyDocument,
} from './partner-policies.js';

export interface OnboardingInput {
  partnerName: string;
  roleArns: string[];
  deliveryAccounts: string[];
  region: string;
  sourceBucket?: string | undefined;
  contacts?: PartnerContact[] | undefined;
  requestedBy: string;
}

export interface OnboardingGrant {
  id: string;
  status: 'Approved';
  partner: string;
  accessPointArn: string;
  alias: string;
  prefix: string;
  /** The IAM policy document for the partner's delivery role. */
  policy: PolicyDocument;
  commands: DeliveryCommands;
}

const partnerNamePattern = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/;
const roleArnPattern = /^arn:aws:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const accountNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d$/;
const bucketPattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function invalid(message: string): S3Error {
  return new S3Error('InvalidArgument', message);
}

/** A partner's prefix (and access point name stem): lower-case letters, digits and hyphens. */
export function partnerSlug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'partner';
}

export async function requestOnboarding(context: DeliveryContext, input: OnboardingInput): Promise<OnboardingRequest> {
  if (!partnerNamePattern.test(input.partnerName)) throw invalid('A partner name is 1-63 letters, digits, spaces, dots, hyphens or underscores.');
  if (input.roleArns.length === 0) throw invalid('Give at least one IAM role ARN (--role-arn).');
  for (const arn of input.roleArns) if (!roleArnPattern.test(arn)) throw invalid(`Not an IAM role ARN: ${arn} (expected arn:aws:iam::ACCOUNT:role/NAME).`);
  if (input.deliveryAccounts.length === 0) throw invalid('Give at least one delivery account name (--delivery-account).');
  for (const name of input.deliveryAccounts) if (!accountNamePattern.test(name)) throw invalid(`Not a valid delivery account name: ${name}.`);
  if (!regionPattern.test(input.region)) throw invalid(`Not a region: ${input.region}.`);
  if (input.sourceBucket !== undefined && !bucketPattern.test(input.sourceBucket)) throw invalid(`Not a bucket name: ${input.sourceBucket}.`);
  const request: OnboardingRequest = {
    id: `onb-${newToken(9).toLowerCase().replace(/[^a-z0-9]/g, '')}`,
    partnerName: input.partnerName,
    roleArns: [...new Set(input.roleArns)],
    deliveryAccounts: [...new Set(input.deliveryAccounts)],
    region: input.region,
    ...(input.sourceBucket ? { sourceBucket: input.sourceBucket } : {}),
    contacts: input.contacts ?? [],
    status: 'Pending',
    createdMs: context.clock.nowMs(),
    requestedBy: input.requestedBy,
  };
  await context.deliveries.createOnboardingRequest(request);
  return request;
}

async function loadRequest(context: DeliveryContext, id: string): Promise<OnboardingRequest> {
  const request = await context.deliveries.getOnboardingRequest(id);
  if (!request) throw new S3Error('NotFound', `No onboarding request ${id}.`);
  return request;
}

export async function approveOnboarding(context: DeliveryContext, id: string, decidedBy: string): Promise<OnboardingGrant> {
  const request = await loadRequest(context, id);
  if (request.status === 'Rejected') throw new S3Error('Conflict', `Onboarding request ${id} was rejected: ${request.rejectionReason ?? ''}`);
  const existing = await context.deliveries.getPartnerByName(request.partnerName);
  const partner = await provisionPartner(context, request, existing);
  for (const name of request.deliveryAccounts) {
    await context.deliveries.putDeliveryAccount({ partnerId: partner.id, name, createdMs: context.clock.nowMs() });
  }
  if (request.status !== 'Approved') {
    await context.deliveries.updateOnboardingRequest({ ...request, status: 'Approved', decidedMs: context.clock.nowMs(), decidedBy });
  }
  return grantFor(context, request.id, partner, request.sourceBucket ? [request.sourceBucket] : partner.sourceBuckets, request.roleArns[0]);
}

export function grantFor(context: DeliveryContext, requestId: string, partner: PartnerRecord, sourceBuckets: string[], roleArn?: string): OnboardingGrant {
  return {
    id: requestId,
    status: 'Approved',
    partner: partner.name,
    accessPointArn: partner.accessPointArn,
    alias: partner.alias,
    prefix: partner.prefix,
    policy: partnerRolePolicy(partner.accessPointArn, partner.prefix, sourceBuckets),
    commands: deliveryCommands(context.platform.endpoint, partner.alias, partner.prefix, sourceBuckets[0], roleArn),
  };
}

/** Creates or updates the partner, its access point and both policies; running it twice changes nothing. */
async function provisionPartner(context: DeliveryContext, request: OnboardingRequest, existing: PartnerRecord | undefined): Promise<PartnerRecord> {
  const { platform, iam } = context;
  const nowMs = context.clock.nowMs();
  const slug = existing?.prefix ?? partnerSlug(request.partnerName);
  const accessPointName = existing?.accessPointName ?? `s3push-${slug}`.slice(0, 50).replace(/-+$/, '');
  let accessPoint = await iam.getAccessPoint(platform.accountId, accessPointName);
  if (!accessPoint) {
    const bucket = await context.meta.getBucket(platform.deliveryBucket);
    if (!bucket) throw new Error(`the delivery bucket ${platform.deliveryBucket} is missing`);
    accessPoint = {
      accountId: platform.accountId, name: accessPointName, region: bucket.region, bucket: bucket.name, bucketAccountId: bucket.accountId,
      alias: newAccessPointAlias(accessPointName), arn: accessPointArn(bucket.region, platform.accountId, accessPointName),
      networkOrigin: 'Internet', blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true,
      createdMs: nowMs,
    };
    await iam.createAccessPoint(accessPoint);
  }
  const roleArns = [...new Set([...(existing?.roleArns ?? []), ...request.roleArns])];
  const sourceBuckets = [...new Set([...(existing?.sourceBuckets ?? []), ...(request.sourceBucket ? [request.sourceBucket] : [])])];
  const partner: PartnerRecord = {
    id: existing?.id ?? `ptn-${newToken(9).toLowerCase().replace(/[^a-z0-9]/g, '')}`,
    name: existing?.name ?? request.partnerName,
    prefix: slug,
    accessPointName,
    accessPointArn: accessPoint.arn,
    alias: accessPoint.alias,
    contacts: mergeContacts(existing?.contacts ?? [], request.contacts),
    roleArns,
    sourceBuckets,
    region: request.region,
    settings: existing?.settings ?? {},
    status: 'Active',
    createdMs: existing?.createdMs ?? nowMs,
    updatedMs: nowMs,
  };
  await context.deliveries.putPartner(partner);
  await writePolicies(context, partner);
  return partner;
}

/** Rewrites the access point policy for the partner's current roles and makes sure the bucket delegates. */
async function writePolicies(context: DeliveryContext, partner: PartnerRecord): Promise<void> {
  const { platform } = context;
  if (partner.status === 'Active' && partner.roleArns.length > 0) {
    await context.iam.putAccessPointPolicy(platform.accountId, partner.accessPointName, JSON.stringify(accessPointPolicy(partner.accessPointArn, partner.prefix, partner.roleArns)));
  } else {
    await context.iam.putAccessPointPolicy(platform.accountId, partner.accessPointName, undefined);
  }
  const bucket = await context.meta.getBucket(platform.deliveryBucket);
  if (bucket) {
    const policy = withDelegation(bucket.policy, bucket.name, platform.accountId);
    if (policy !== bucket.policy) await context.meta.updateBucket(bucket.name, { policy });
  }
  context.onPoliciesChanged();
}

function mergeContacts(existing: PartnerContact[], added: PartnerContact[]): PartnerContact[] {
  const byEmail = new Map(existing.map((c) => [c.email.toLowerCase(), c]));
  for (const contact of added) byEmail.set(contact.email.toLowerCase(), contact);
  return [...byEmail.values()];
}

export async function rejectOnboarding(context: DeliveryContext, id: string, reason: string, decidedBy: string): Promise<OnboardingRequest> {
  const request = await loadRequest(context, id);
  if (request.status === 'Approved') throw new S3Error('Conflict', `Onboarding request ${id} is approved already; revoke the partner's roles instead.`);
  if (!reason.trim()) throw invalid('A rejection needs a reason the partner can act on.');
  const rejected: OnboardingRequest = { ...request, status: 'Rejected', rejectionReason: reason.trim(), decidedMs: context.clock.nowMs(), decidedBy };
  await context.deliveries.updateOnboardingRequest(rejected);
  return rejected;
}

/** Replaces the partner's delivering roles (an empty list revokes delivery) and rewrites the policies. */
export async function setPartnerRoles(context: DeliveryContext, partnerName: string, roleArns: string[]): Promise<PartnerRecord> {
  const partner = await context.deliveries.getPartnerByName(partnerName);
  if (!partner) throw new S3Error('NotFound', `No partner ${partnerName}.`);
  for (const arn of roleArns) if (!roleArnPattern.test(arn)) throw invalid(`Not an IAM role ARN: ${arn}.`);
  const updated: PartnerRecord = {
    ...partner, roleArns: [...new Set(roleArns)], status: roleArns.length > 0 ? 'Active' : 'Revoked', updatedMs: context.clock.nowMs(),
  };
  await context.deliveries.putPartner(updated);
  await writePolicies(context, updated);
  return updated;
}
