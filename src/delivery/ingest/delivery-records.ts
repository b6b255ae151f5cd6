// From an outbox event to a delivery record: which partner and delivery account, who delivered and how,
// and which earlier delivery it supersedes (same key, or the `_R<n>` redelivery naming convention).
import { newToken } from '../../core/ids.js';
import type { DeliveryAccountRecord, DeliveryMethod, DeliveryRecord, PartnerRecord } from '../../storage/delivery-store.js';
import type { ObjectEvent, ObjectVersion } from '../../storage/types.js';
import { parseRedelivery } from '../validators/naming.js';

/** Keys an `_R<n>` delivery supersedes, newest first: `name_R{n-1}`, …, `name_R1`, `name`. */
export function supersededCandidates(key: string): string[] {
  const { baseName: baseKey, redelivery } = parseRedelivery(key);
  if (redelivery === 0) return [key];
  const ext = /(\.[^./]+)$/.exec(baseKey)?.[1] ?? '';
  const stem = ext ? baseKey.slice(0, -ext.length) : baseKey;
  const keys = [key];
  for (let n = redelivery - 1; n >= 1; n--) keys.push(`${stem}_R${n}${ext}`);
  keys.push(baseKey);
  return keys;
}

/** The delivery account a key belongs to: `PREFIX/<account>/…` when that account exists, else the first one. */
export function deliveryAccountOf(partner: PartnerRecord, accounts: DeliveryAccountRecord[], key: string): string {
  const rest = key.slice(partner.prefix.length + 1);
  const first = rest.includes('/') ? rest.slice(0, rest.indexOf('/')) : undefined;
  const named = first !== undefined ? accounts.find((a) => a.name === first) : undefined;
  return named?.name ?? accounts[0]?.name ?? 'default';
}

function methodOf(event: ObjectEvent, version: ObjectVersion): DeliveryMethod {
  if (version.method === 'CopyObject') return 'CopyObject';
  if (version.method === 'CompleteMultipartUpload') return version.copySource ? 'UploadPartCopy' : 'CompleteMultipartUpload';
  if (version.method === 'PostObject') return 'PostObject';
  return event.name === 'ObjectCreated:Copy' ? 'CopyObject' : 'PutObject';
}

export function sessionNameOf(arn: string): string | undefined {
  const m = /^arn:aws:sts::\d{12}:assumed-role\/[^/]+\/(.+)$/.exec(arn);
  return m?.[1];
}

export function newDeliveryRecord(event: ObjectEvent, version: ObjectVersion, partner: PartnerRecord, deliveryAccount: string, supersedes: DeliveryRecord | undefined): DeliveryRecord {
  const checksums: Record<string, string> = {};
  if (version.checksum) checksums[version.checksum.algorithm] = version.checksum.value;
  if (!version.etag.includes('-')) checksums['MD5'] = version.etag;
  const deliveredBy = version.writer?.arn ?? event.writer?.arn ?? 'unknown';
  const sessionName = sessionNameOf(deliveredBy);
  return {
    id: `dlv-${newToken(12).toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 16)}`,
    partnerId: partner.id,
    partnerName: partner.name,
    deliveryAccount,
    bucket: version.bucket,
    key: version.key,
    versionId: version.versionId,
    sizeBytes: version.sizeBytes,
    etag: version.etag,
    checksums,
    ...(version.headers.contentType ? { contentType: version.headers.contentType } : {}),
    deliveredBy,
    ...(sessionName ? { sessionName } : {}),
    method: methodOf(event, version),
    ...(version.copySource ? { copySource: version.copySource } : {}),
    deliveredMs: version.lastModifiedMs,
    status: 'Received',
    validations: [],
    redelivery: parseRedelivery(version.key).redelivery,
    ...(supersedes ? { supersedes: supersedes.id } : {}),
    eventSequence: event.sequence,
    updatedMs: version.lastModifiedMs,
  };
}
