// Every limit s3push enforces, named once, units last (S3's own limits and our operating bounds).

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const TiB = 1024 * GiB;

export const limits = {
  // S3 object and key limits.
  keyLengthBytesMax: 1024,
  objectSizeBytesMax: 5 * TiB,
  putObjectSizeBytesMax: 5 * GiB,
  copyObjectSourceSizeBytesMax: 5 * GiB,
  userMetadataBytesMax: 2 * KiB,
  tagsPerObjectMax: 10,
  tagsPerBucketMax: 50,
  tagKeyLengthMax: 128,
  tagValueLengthMax: 256,

  // Multipart.
  partNumberMax: 10_000,
  partSizeBytesMin: 5 * MiB,
  partSizeBytesMax: 5 * GiB,
  uploadsListedMax: 1000,
  partsListedMax: 1000,
  /**
   * A completed upload is remembered this long so that a repeated CompleteMultipartUpload (a client
   * retrying after a lost response) gets the same answer, as on AWS…
   */
  completedUploadRetentionMs: 24 * 60 * 60 * 1000,
  /** …and at most this many are remembered (the oldest are forgotten first). */
  completedUploadsRememberedMax: 10_000,

  // Buckets and listing.
  bucketNameLengthMin: 3,
  bucketNameLengthMax: 63,
  bucketsPerAccountMax: 10_000,
  listKeysMax: 1000,
  deleteObjectsKeysMax: 1000,
  /** Grants in one bucket or object ACL (AWS: 100). */
  aclGrantsMax: 100,
  /** CORS: rules per configuration, and the size of a PutBucketCors document (AWS: 100 rules, 64 KB). */
  corsRulesMax: 100,
  corsConfigurationBytesMax: 64 * KiB,
  /** CORS: a rule's ID (AWS: 255 characters). */
  corsRuleIdLengthMax: 255,

  // Request parsing.
  headerBytesMax: 16 * KiB,
  xmlBodyBytesMax: 1 * MiB,
  policyBytesMax: 20 * KiB,
  accessPointPolicyBytesMax: 20 * KiB,
  queryFormBodyBytesMax: 1 * MiB,
  /** POST Object: the form fields and boundaries before the file (AWS: 20 KB); more is MaxPostPreDataLengthExceededError. */
  postFormFieldsBytesMax: 20 * KiB,
  /** POST Object: what may follow the file (ignored fields, the closing boundary) and is read and discarded. */
  postFormTrailerBytesMax: 20 * KiB,
  jsonBodyBytesMax: 1 * MiB,
  awsChunkHeaderBytesMax: 4 * KiB,
  awsChunkTrailerBytesMax: 4 * KiB,
  // One aws-chunked chunk can be no larger than the largest single request body.
  awsChunkSizeBytesMax: 5 * GiB,

  // SigV4.
  clockSkewMsMax: 15 * 60 * 1000,
  presignedExpiresSecondsMax: 604_800,
  signingKeyCacheEntriesMax: 1024,

  // IAM and STS.
  parsedPolicyCacheEntriesMax: 4096,
  principalPolicyCacheEntriesMax: 4096,
  /** Inline policies of one role, all together, whitespace not counted (AWS quota). */
  inlinePolicyBytesMax: 10_240,
  /** The same quota for one user. */
  userInlinePoliciesBytesMax: 2_048,
  /** The same quota for one group. */
  groupInlinePoliciesBytesMax: 5_120,
  managedPolicyBytesMax: 6_144,
  trustPolicyBytesMax: 2_048,
  sessionPolicyBytesMax: 2_048,
  sessionPolicyArnsMax: 10,
  policyVersionsMax: 5,
  managedPoliciesPerPrincipalMax: 10,
  usersPerAccountMax: 5_000,
  rolesPerAccountMax: 1_000,
  groupsPerAccountMax: 300,
  groupsPerUserMax: 10,
  accessKeysPerUserMax: 2,
  assumeRoleSecondsMin: 900,
  assumeRoleSecondsDefault: 3_600,
  roleChainingSecondsMax: 3_600,
  roleMaxSessionSecondsMax: 43_200,
  sessionTokenSecondsMax: 129_600,
  rootSessionTokenSecondsMax: 3_600,
  accessPointsPerAccountMax: 10_000,

  // Ingest pipeline.
  ingestEventBatchMax: 256,
  ingestPollIntervalMs: 500,
  ingestCursorPersistIntervalMs: 1_000,
  ingestResumeBatchMax: 10_000,
  ingestValidationBacklogMax: 2_048,
  ingestValidationConcurrency: 4,
  validatorTimeoutMs: 60_000,
  /** Validation deadlines add the time to read the whole object at this rate (whole-file hashing). */
  validatorThroughputBytesPerSecondMin: 50 * MiB,
  validatorReadBytesMax: 64 * MiB,
  webhookAttemptsMax: 12,
  webhookTimeoutMs: 10_000,
  webhookBackoffBaseMs: 5_000,
  webhookPayloadBytesMax: 64 * KiB,
  eventsFeedClientsMax: 256,

  // Slate (the portal).
  /** A session unused for this long ends. */
  portalSessionIdleMs: 12 * 60 * 60 * 1000,
  /** A session ends this long after login, however active. */
  portalSessionLifetimeMs: 7 * 24 * 60 * 60 * 1000,
  /** last-seen is written at most this often per session (a write per request would cost an fsync each). */
  portalSessionTouchIntervalMs: 60_000,
  /** Failed logins are counted in fixed windows of this length… */
  portalLoginWindowMs: 15 * 60 * 1000,
  /** …at most this many from one source address… */
  portalLoginFailuresPerIpMax: 20,
  /** …and this many for one user name, before further attempts are refused until the window ends. */
  portalLoginFailuresPerUserMax: 5,
  /** Addresses and user names tracked by the login limiter; the oldest are forgotten first. */
  portalLoginTrackedKeysMax: 10_000,
  portalPasswordLengthMin: 12,
  portalPasswordLengthMax: 256,
  portalFormBodyBytesMax: 64 * KiB,
  /** A comment line on every events-feed stream this often, so proxies and browsers keep it open. */
  portalEventsHeartbeatMs: 15_000,
  /** An events-feed client with more unsent output than this is too slow and is disconnected. */
  portalEventsBufferedBytesMax: 1 * MiB,
  /** Recent deliveries the dashboard looks through for its slowest validations. */
  portalSlowestValidationsSampleMax: 500,
  /**
   * A delivery search matching at most this many rows sorts the matches (found through the key index)
   * instead of walking the sort order until a page is full: rare matches made that walk visit every row.
   */
  deliverySearchSortMatchesMax: 2_000,

  // Server behaviour.
  bodyIdleTimeoutMs: 60_000,
  headersTimeoutMs: 60_000,
  keepAliveTimeoutMs: 65_000,
  connectionsMax: 4096,
  streamHighWaterMarkBytes: 256 * KiB,
  /** A streamed response body waits for the socket once this much is queued on it. */
  responseBufferedBytesMax: 1 * MiB,
  /** GET bodies up to this size are read whole and written at once instead of streamed. */
  smallBodyBytesMax: 256 * KiB,
  /** Bodies of at least this size have their MD5 / SHA-256 computed on a worker thread (protocol/off-thread-hash.ts). */
  offThreadHashBytesMin: 8 * MiB,
  /** Bytes handed to a hash worker in one message, and how many such batches one hash may have outstanding. */
  offThreadHashBatchBytes: 512 * KiB,
  offThreadHashBatchesInFlightMax: 4,
  /** Hashes running off-thread at once (beyond this, bodies are hashed on the event loop): memory ≤ this × 2.5 MiB. */
  offThreadHashesMax: 32,
  /** Hash worker threads (fewer when the machine has fewer cores: one core is left to the event loop). */
  hashWorkersMax: 4,

  // Storage.
  encryptionSegmentBytes: 64 * KiB,
  blobHeaderCacheEntriesMax: 4096,
  /** Blob writers gather small chunks into writes of at least this size (one writev each). */
  blobWriteCoalesceBytes: 1 * MiB,
  /** A blob writer starts a background fdatasync after this many bytes, so finish() waits for little. */
  blobWriterSyncIntervalBytes: 64 * MiB,
  garbageCollectionBatchMax: 256,
  garbageCollectionIntervalMs: 2_000,
  /** A blob handed out by takeGarbage but never forgotten (collector died) is handed out again after this. */
  garbageCollectionLeaseMs: 10 * 60 * 1000,
  /** How long a SQLite connection waits for another process's write lock before failing. */
  sqliteBusyTimeoutMs: 10_000,
  /** SQLite page cache per connection (default would be 2 MiB), so big listings stay in memory. */
  sqliteCacheBytes: 32 * MiB,
  /** Mutations committed together in one transaction (group commit). */
  sqliteGroupCommitMax: 256,
} as const;

export const units = { KiB, MiB, GiB, TiB } as const;
