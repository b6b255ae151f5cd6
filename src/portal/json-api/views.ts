// JSON shapes the API returns (stable field names: the CLI, Slate and partners' scripts rely on them).
import type { DeliveryAccountRecord, DeliveryRecord, OnboardingRequest, PartnerRecord } from '../../storage/delivery-store.js';

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

export function deliveryView(d: DeliveryRecord) {
  return {
    id: d.id,
    partner: d.partnerName,
    deliveryAccount: d.deliveryAccount,
    key: d.key,
    versionId: d.versionId,
    size: d.sizeBytes,
    etag: d.etag,
    status: d.status,
    deliveredAt: iso(d.deliveredMs),
    deliveredBy: d.deliveredBy,
    sessionName: d.sessionName ?? null,
    method: d.method,
    contentType: d.contentType ?? null,
    checksums: d.checksums,
    checksumVerified: d.validations.some((v) => v.validator === 'integrity' && v.outcome === 'passed') || Object.keys(d.checksums).some((k) => k !== 'MD5'),
    copySource: d.copySource ?? null,
    rejection: d.rejection ?? null,
    media: d.media ?? null,
    redelivery: d.redelivery,
    supersedes: d.supersedes ?? null,
    supersededBy: d.supersededBy ?? null,
    updatedAt: iso(d.updatedMs),
  };
}

export function deliveryDetailView(d: DeliveryRecord) {
  return { ...deliveryView(d), bucket: d.bucket, validations: d.validations, eventSequence: d.eventSequence };
}

export function onboardingView(r: OnboardingRequest) {
  return {
    id: r.id,
    status: r.status,
    partner: r.partnerName,
    roleArns: r.roleArns,
    deliveryAccounts: r.deliveryAccounts,
    region: r.region,
    sourceBucket: r.sourceBucket ?? null,
    contacts: r.contacts,
    requestedBy: r.requestedBy,
    createdAt: iso(r.createdMs),
    decidedAt: iso(r.decidedMs),
    decidedBy: r.decidedBy ?? null,
    rejectionReason: r.rejectionReason ?? null,
  };
}

export function partnerView(p: PartnerRecord, accounts: DeliveryAccountRecord[]) {
  return {
    id: p.id,
    name: p.name,
    status: p.status,
    prefix: p.prefix,
    accessPointArn: p.accessPointArn,
    alias: p.alias,
    region: p.region,
    roleArns: p.roleArns,
    sourceBuckets: p.sourceBuckets,
    contacts: p.contacts,
    settings: p.settings,
    deliveryAccounts: accounts.map((a) => ({ name: a.name, verified: a.verifiedMs !== undefined, verifiedAt: iso(a.verifiedMs), verifiedBy: a.verifiedBy ?? null })),
    createdAt: iso(p.createdMs),
  };
}
