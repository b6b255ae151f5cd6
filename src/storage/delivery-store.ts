// DeliveryStore: partners, onboarding requests, delivery records with their history, the ingest cursor,
// webhooks and their delivery log. Implemented in the metadata database, so a delivery record and the
// cursor that consumed its event commit together (exactly once across crashes).

export interface PartnerContact {
  name?: string | undefined;
  email: string;
}

/** Per-partner validation settings; absent fields take the defaults. */
export interface PartnerSettings {
  /** A regular expression every delivered key (after the prefix) must match, replacing the default naming rules. */
  namingPattern?: string | undefined;
  /** Validators to skip for this partner (by name). */
  disabledValidators?: string[] | undefined;
  /** Media expectations checked by the media probe. */
  media?: { minWidth?: number; minHeight?: number; videoCodecs?: string[]; frameRates?: number[] } | undefined;
}

export interface PartnerRecord {
  id: string;
  name: string;
  /** Keys under `${prefix}/` in the delivery bucket belong to this partner. */
  prefix: string;
  accessPointName: string;
  accessPointArn: string;
  alias: string;
  contacts: PartnerContact[];
  /** IAM role ARNs allowed to deliver (from approved onboarding requests). */
  roleArns: string[];
  sourceBuckets: string[];
  region: string;
  settings: PartnerSettings;
  status: 'Active' | 'Revoked';
  createdMs: number;
  updatedMs: number;
}

export interface DeliveryAccountRecord {
  partnerId: string;
  name: string;
  createdMs: number;
  /** When a test.txt delivery verified the connection, and by whom. */
  verifiedMs?: number | undefined;
  verifiedBy?: string | undefined;
}

export type OnboardingStatus = 'Pending' | 'Approved' | 'Rejected';

export interface OnboardingRequest {
  id: string;
  partnerName: string;
  roleArns: string[];
  deliveryAccounts: string[];
  region: string;
  sourceBucket?: string | undefined;
  contacts: PartnerContact[];
  status: OnboardingStatus;
  createdMs: number;
  requestedBy: string;
  decidedMs?: number | undefined;
  decidedBy?: string | undefined;
  rejectionReason?: string | undefined;
}

export type DeliveryStatus = 'Received' | 'Validating' | 'Accepted' | 'Ingested' | 'Rejected';
export type DeliveryMethod = 'PutObject' | 'CopyObject' | 'CompleteMultipartUpload' | 'UploadPartCopy' | 'PostObject' | 'TransferTask';

export interface DeliveryIssue {
  code: string;
  cause: string;
  fix: string;
}

export interface ValidationOutcome {
  validator: string;
  outcome: 'passed' | 'failed' | 'skipped' | 'error';
  issues: DeliveryIssue[];
  details?: Record<string, unknown> | undefined;
  durationMs: number;
}

export interface DeliveryRecord {
  id: string;
  partnerId: string;
  partnerName: string;
  deliveryAccount: string;
  bucket: string;
  key: string;
  versionId: string;
  sizeBytes: number;
  etag: string;
  /** Checksums verified at write (x-amz-checksum-*, Content-MD5) or stored with the object. */
  checksums: Record<string, string>;
  contentType?: string | undefined;
  deliveredBy: string;
  sessionName?: string | undefined;
  method: DeliveryMethod;
  copySource?: { bucket: string; key: string; versionId: string } | undefined;
  deliveredMs: number;
  status: DeliveryStatus;
  /** The first failing issue of a Rejected delivery. */
  rejection?: DeliveryIssue | undefined;
  validations: ValidationOutcome[];
  media?: Record<string, unknown> | undefined;
  /** Redelivery number from the `_R<n>` naming convention, 0 for a first delivery. */
  redelivery: number;
  supersedes?: string | undefined;
  supersededBy?: string | undefined;
  eventSequence: number;
  updatedMs: number;
}

export interface DeliveryHistoryEntry {
  deliveryId: string;
  atMs: number;
  status: DeliveryStatus | 'Superseded';
  note: string;
}

export interface DeliveryQuery {
  partnerId?: string | undefined;
  status?: DeliveryStatus | undefined;
  deliveryAccount?: string | undefined;
  /** Substring of the key. */
  search?: string | undefined;
  fromMs?: number | undefined;
  toMs?: number | undefined;
  sort?: 'deliveredAt' | 'key' | 'size' | 'status' | undefined;
  order?: 'asc' | 'desc' | undefined;
  /** Opaque cursor from a previous page. */
  cursor?: string | undefined;
  limit: number;
}

export interface DeliveryPage {
  deliveries: DeliveryRecord[];
  nextCursor?: string | undefined;
  total: number;
}

export interface WebhookRecord {
  id: string;
  /** Undefined: every partner (operator hook). */
  partnerId?: string | undefined;
  url: string;
  secret: string;
  /** Delivery statuses that trigger it; empty means all. */
  statuses: string[];
  createdMs: number;
  active: boolean;
}

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  deliveryId: string;
  payload: string;
  attempts: number;
  status: 'Pending' | 'Delivered' | 'Failed';
  nextAttemptMs: number;
  lastResponse?: string | undefined;
  createdMs: number;
  updatedMs: number;
}

/** Thrown for expected conflicts in delivery data; the API maps them to 404 / 409. */
export class DeliveryConflict extends Error {
  constructor(readonly reason: 'NotFound' | 'Conflict', message: string) {
    super(message);
    this.name = 'DeliveryConflict';
  }
}

export interface DeliveryStore {
  // Partners and delivery accounts.
  putPartner(partner: PartnerRecord): Promise<void>;
  getPartner(id: string): Promise<PartnerRecord | undefined>;
  getPartnerByName(name: string): Promise<PartnerRecord | undefined>;
  listPartners(): Promise<PartnerRecord[]>;
  putDeliveryAccount(account: DeliveryAccountRecord): Promise<void>;
  listDeliveryAccounts(partnerId: string): Promise<DeliveryAccountRecord[]>;
  /** Marks the connection verified the first time; later calls keep the first verification. */
  markDeliveryAccountVerified(partnerId: string, name: string, atMs: number, by: string): Promise<void>;

  // Onboarding.
  createOnboardingRequest(request: OnboardingRequest): Promise<void>;
  getOnboardingRequest(id: string): Promise<OnboardingRequest | undefined>;
  listOnboardingRequests(status?: OnboardingStatus): Promise<OnboardingRequest[]>;
  updateOnboardingRequest(request: OnboardingRequest): Promise<void>;

  // Ingest: the cursor and the records it creates move together.
  ingestCursor(consumer: string): Promise<number>;
  /**
   * Inserts the records made from events up to `sequence` and moves the cursor to it, in one
   * transaction. A record whose (bucket, key, versionId) exists already is skipped, never duplicated.
   * Records that supersede an earlier one set its supersededBy in the same transaction, and so are the
   * `webhooks` the new records cause (those of a skipped record are dropped with it).
   */
  recordIngested(consumer: string, sequence: number, records: DeliveryRecord[], webhooks?: WebhookDelivery[]): Promise<void>;
  getDelivery(id: string): Promise<DeliveryRecord | undefined>;
  /** The latest non-superseded delivery of a key (redelivery detection). */
  findCurrentDelivery(partnerId: string, key: string): Promise<DeliveryRecord | undefined>;
  /** Deliveries left in Received, Validating or Accepted (to resume after a restart). */
  listUnfinishedDeliveries(limit: number): Promise<DeliveryRecord[]>;
  /**
   * Replaces status, validations, media and rejection; appends a history entry; stores the `webhooks` the
   * change causes. One transaction: a status change is never stored without its webhooks, nor they without it.
   */
  updateDelivery(record: DeliveryRecord, note: string, webhooks?: WebhookDelivery[]): Promise<void>;
  queryDeliveries(query: DeliveryQuery): Promise<DeliveryPage>;
  deliveryHistory(deliveryId: string): Promise<DeliveryHistoryEntry[]>;
  /** Every version delivered for a key, newest first. */
  deliveriesOfKey(partnerId: string, key: string): Promise<DeliveryRecord[]>;
  /** Delivered versions and their bytes per partner (one partner's only, when given), for the dashboard's storage figures. */
  storageUsed(partnerId?: string): Promise<{ partnerId: string; deliveries: number; bytes: number }[]>;
  /** Counts for dashboards: per day (UTC) deliveries and bytes, per status, per rejection code. */
  deliveryStats(partnerId: string | undefined, sinceMs: number): Promise<{ days: { day: string; deliveries: number; bytes: number }[]; byStatus: Record<string, number>; byCode: Record<string, number> }>;

  // Webhooks.
  putWebhook(webhook: WebhookRecord): Promise<void>;
  listWebhooks(partnerId?: string): Promise<WebhookRecord[]>;
  deleteWebhook(id: string): Promise<void>;
  enqueueWebhookDeliveries(deliveries: WebhookDelivery[]): Promise<void>;
  dueWebhookDeliveries(nowMs: number, limit: number): Promise<WebhookDelivery[]>;
  updateWebhookDelivery(delivery: WebhookDelivery): Promise<void>;
  listWebhookDeliveries(webhookId: string, limit: number): Promise<WebhookDelivery[]>;
}
