// SQLite schema and its migrations (PRAGMA user_version counts the migrations applied), plus pragmas.
//
// Later issues add tables by appending a migration; existing data dirs move forward on open and a
// data dir written by a newer s3push is refused instead of being misread.
import type Database from 'better-sqlite3';

type Db = Database.Database;

/**
 * Migration i takes a database from user_version i to i + 1. Append only; never edit a
 * released entry. Keys are TEXT with the default BINARY collation, so they order by UTF-8 bytes.
 */
const migrations: readonly string[] = [
  `
  CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE accounts (
    account_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    canonical_user_id TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE access_keys (
    access_key_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    principal_arn TEXT NOT NULL,
    record TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX access_keys_by_account ON access_keys (account_id);

  CREATE TABLE buckets (
    name TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    versioning TEXT NOT NULL,
    ownership TEXT NOT NULL,
    policy TEXT,
    tags TEXT
  ) WITHOUT ROWID;
  CREATE INDEX buckets_by_account ON buckets (account_id, name);

  -- One row per object version or delete marker, clustered by key (WITHOUT ROWID) so listings
  -- read neighbouring rows from neighbouring pages whatever order the keys were written in.
  -- seq is the store-wide creation order, drawn from counters ('version_seq').
  CREATE TABLE versions (
    bucket TEXT NOT NULL REFERENCES buckets (name),
    key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    version_id TEXT NOT NULL,
    is_latest INTEGER NOT NULL,
    is_delete_marker INTEGER NOT NULL,
    size_bytes INTEGER NOT NULL,
    etag TEXT NOT NULL,
    last_modified_ms INTEGER NOT NULL,
    -- headers, userMetadata, tags, checksum, extents, partSizes, partChecksums, storageClass,
    -- ownerAccountId, writer, method, copySource: read back whole, never queried.
    body TEXT NOT NULL,
    -- ListObjectVersions order: key ascending, newest first.
    PRIMARY KEY (bucket, key, seq DESC)
  ) WITHOUT ROWID;
  CREATE UNIQUE INDEX versions_by_id ON versions (bucket, key, version_id);
  -- Exactly one latest version per key.
  CREATE UNIQUE INDEX versions_latest ON versions (bucket, key) WHERE is_latest = 1;
  -- ListObjects walks only current objects.
  CREATE INDEX versions_current ON versions (bucket, key) WHERE is_latest = 1 AND is_delete_marker = 0;

  -- Monotonic counters that must never repeat, even after the rows they numbered are deleted.
  CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO counters (name, value) VALUES ('version_seq', 0);

  -- Blob reference counts: one reference per extent. zero_since_ms is set while the count is 0;
  -- collecting_since_ms once takeGarbage handed the blob out (it can no longer be referenced).
  CREATE TABLE blobs (
    blob_id TEXT PRIMARY KEY,
    size_bytes INTEGER NOT NULL,
    refcount INTEGER NOT NULL CHECK (refcount >= 0),
    created_ms INTEGER NOT NULL,
    zero_since_ms INTEGER,
    collecting_since_ms INTEGER
  ) WITHOUT ROWID;
  CREATE INDEX blobs_garbage ON blobs (zero_since_ms) WHERE refcount = 0;

  CREATE TABLE uploads (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    upload_id TEXT NOT NULL UNIQUE,
    bucket TEXT NOT NULL REFERENCES buckets (name),
    key TEXT NOT NULL,
    initiated_ms INTEGER NOT NULL,
    body TEXT NOT NULL
  );
  -- ListMultipartUploads order: key, then initiation (seq).
  CREATE INDEX uploads_by_key ON uploads (bucket, key, seq);

  CREATE TABLE parts (
    upload_id TEXT NOT NULL REFERENCES uploads (upload_id),
    part_number INTEGER NOT NULL,
    size_bytes INTEGER NOT NULL,
    etag TEXT NOT NULL,
    last_modified_ms INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (upload_id, part_number)
  ) WITHOUT ROWID;

  -- Transactional outbox; AUTOINCREMENT so a sequence is never reused after pruning.
  CREATE TABLE events (
    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
    time_ms INTEGER NOT NULL,
    name TEXT NOT NULL,
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    version_id TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    etag TEXT NOT NULL,
    writer TEXT
  );
  `,
  // 2: IAM (users, roles, inline and managed policies, attachments) and S3 access points.
  // Names of IAM entities are unique per account regardless of case, as on AWS.
  `
  CREATE TABLE iam_users (
    account_id TEXT NOT NULL,
    name TEXT NOT NULL COLLATE NOCASE,
    path TEXT NOT NULL,
    user_id TEXT NOT NULL UNIQUE,
    arn TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    boundary_arn TEXT,
    tags TEXT NOT NULL,
    PRIMARY KEY (account_id, name)
  ) WITHOUT ROWID;

  CREATE TABLE iam_roles (
    account_id TEXT NOT NULL,
    name TEXT NOT NULL COLLATE NOCASE,
    path TEXT NOT NULL,
    role_id TEXT NOT NULL UNIQUE,
    arn TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    trust_policy TEXT NOT NULL,
    max_session_seconds INTEGER NOT NULL,
    description TEXT,
    boundary_arn TEXT,
    tags TEXT NOT NULL,
    PRIMARY KEY (account_id, name)
  ) WITHOUT ROWID;

  CREATE TABLE iam_inline_policies (
    owner_kind TEXT NOT NULL,
    account_id TEXT NOT NULL,
    owner_name TEXT NOT NULL COLLATE NOCASE,
    policy_name TEXT NOT NULL COLLATE NOCASE,
    document TEXT NOT NULL,
    PRIMARY KEY (owner_kind, account_id, owner_name, policy_name)
  ) WITHOUT ROWID;

  CREATE TABLE iam_managed_policies (
    arn TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    name TEXT NOT NULL COLLATE NOCASE,
    path TEXT NOT NULL,
    policy_id TEXT NOT NULL UNIQUE,
    description TEXT,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    default_version_id TEXT NOT NULL,
    next_version INTEGER NOT NULL,
    tags TEXT NOT NULL,
    UNIQUE (account_id, name)
  ) WITHOUT ROWID;

  CREATE TABLE iam_policy_versions (
    policy_arn TEXT NOT NULL REFERENCES iam_managed_policies (arn) ON DELETE CASCADE,
    version_id TEXT NOT NULL,
    document TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (policy_arn, version_id)
  ) WITHOUT ROWID;

  CREATE TABLE iam_attachments (
    owner_kind TEXT NOT NULL,
    account_id TEXT NOT NULL,
    owner_name TEXT NOT NULL COLLATE NOCASE,
    policy_arn TEXT NOT NULL REFERENCES iam_managed_policies (arn),
    PRIMARY KEY (owner_kind, account_id, owner_name, policy_arn)
  ) WITHOUT ROWID;
  CREATE INDEX iam_attachments_by_policy ON iam_attachments (policy_arn);

  CREATE TABLE access_points (
    account_id TEXT NOT NULL,
    name TEXT NOT NULL,
    bucket TEXT NOT NULL,
    alias TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    PRIMARY KEY (account_id, name)
  ) WITHOUT ROWID;
  CREATE INDEX access_points_by_bucket ON access_points (bucket);

  INSERT INTO counters (name, value) VALUES ('iam_generation', 0);
  `,
  // 3: the delivery platform — partners, onboarding, delivery records and history, ingest cursors, webhooks.
  `
  CREATE TABLE partners (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    prefix TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE delivery_accounts (
    partner_id TEXT NOT NULL REFERENCES partners (id),
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (partner_id, name)
  ) WITHOUT ROWID;

  CREATE TABLE onboarding_requests (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    body TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX onboarding_by_status ON onboarding_requests (status, created_ms);

  CREATE TABLE ingest_cursors (
    consumer TEXT PRIMARY KEY,
    sequence INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE deliveries (
    id TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL,
    delivery_account TEXT NOT NULL,
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    version_id TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    status TEXT NOT NULL,
    rejection_code TEXT,
    delivered_ms INTEGER NOT NULL,
    superseded INTEGER NOT NULL DEFAULT 0,
    body TEXT NOT NULL,
    UNIQUE (bucket, key, version_id)
  ) WITHOUT ROWID;
  CREATE INDEX deliveries_by_time ON deliveries (partner_id, delivered_ms, id);
  CREATE INDEX deliveries_by_key ON deliveries (partner_id, key, delivered_ms);
  CREATE INDEX deliveries_by_status ON deliveries (status, delivered_ms);
  CREATE INDEX deliveries_all_by_time ON deliveries (delivered_ms, id);

  CREATE TABLE delivery_history (
    delivery_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at_ms INTEGER NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (delivery_id, seq)
  ) WITHOUT ROWID;

  CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    partner_id TEXT,
    body TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    webhook_id TEXT NOT NULL,
    status TEXT NOT NULL,
    next_attempt_ms INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    body TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_ms);
  CREATE INDEX webhook_deliveries_by_hook ON webhook_deliveries (webhook_id, created_ms);
  `,
  // 4: Slate's users (operators, partner users) and login sessions, stored by the hash of their token.
  `
  CREATE TABLE portal_users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    partner_id TEXT,
    body TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX portal_users_by_partner ON portal_users (partner_id, name);

  CREATE TABLE portal_sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    last_seen_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    source_ip TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX portal_sessions_by_user ON portal_sessions (user_id);
  `,
  // 5: per-bucket configuration documents (the public access block) and remembered multipart completions
  // (a repeated CompleteMultipartUpload answers as the first did). Both go with their bucket.
  `
  CREATE TABLE bucket_configurations (
    bucket TEXT NOT NULL REFERENCES buckets (name) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (bucket, kind)
  ) WITHOUT ROWID;

  -- seq orders completions for pruning by count; completed_ms for pruning by age.
  CREATE TABLE completed_uploads (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    upload_id TEXT NOT NULL UNIQUE,
    bucket TEXT NOT NULL REFERENCES buckets (name) ON DELETE CASCADE,
    key TEXT NOT NULL,
    completed_ms INTEGER NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX completed_uploads_by_bucket ON completed_uploads (bucket);
  CREATE INDEX completed_uploads_by_time ON completed_uploads (completed_ms);
  `,
  // 6: Slate's Deliveries sorted by size and filtered by delivery account read pages from an index rather
  // than sorting every row (120 ms → milliseconds at 100,000 deliveries).
  `
  CREATE INDEX deliveries_all_by_size ON deliveries (size_bytes, id);
  CREATE INDEX deliveries_by_size ON deliveries (partner_id, size_bytes, id);
  CREATE INDEX deliveries_by_account ON deliveries (partner_id, delivery_account, delivered_ms, id);
  CREATE INDEX deliveries_all_by_account ON deliveries (delivery_account, delivered_ms, id);
  CREATE INDEX deliveries_all_by_key ON deliveries (key, id);
  `,
  // 7: IAM groups and their members (group policies use the owner_kind 'group' rows of the policy tables).
  `
  CREATE TABLE iam_groups (
    account_id TEXT NOT NULL,
    name TEXT NOT NULL COLLATE NOCASE,
    path TEXT NOT NULL,
    group_id TEXT NOT NULL UNIQUE,
    arn TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (account_id, name)
  ) WITHOUT ROWID;

  CREATE TABLE iam_group_members (
    account_id TEXT NOT NULL,
    group_name TEXT NOT NULL COLLATE NOCASE,
    user_name TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (account_id, group_name, user_name)
  ) WITHOUT ROWID;
  CREATE INDEX iam_group_members_by_user ON iam_group_members (account_id, user_name);
  `,
  // 8: the time-ordered delivery indexes carry the key, so a search walking them (newest first, until a page is
  // full) tests each key in the index instead of looking up its row: 50–63 → 9–11 ms at 100,000 rows.
  `
  DROP INDEX deliveries_by_time;
  CREATE INDEX deliveries_by_time ON deliveries (partner_id, delivered_ms, id, key);
  DROP INDEX deliveries_all_by_time;
  CREATE INDEX deliveries_all_by_time ON deliveries (delivered_ms, id, key);
  `,
  // 9: the dashboard's counts per UTC day (day = delivered_ms / 86400000), partner, status and rejection code
  // ('' for none), kept in the transaction that inserts a delivery or changes its status (sqlite/deliveries.ts),
  // so the counts over a month read a few hundred rows instead of every delivery in it.
  `
  CREATE TABLE delivery_day_counts (
    day INTEGER NOT NULL,
    partner_id TEXT NOT NULL,
    status TEXT NOT NULL,
    code TEXT NOT NULL,
    deliveries INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    PRIMARY KEY (day, partner_id, status, code)
  ) WITHOUT ROWID;
  INSERT INTO delivery_day_counts (day, partner_id, status, code, deliveries, bytes)
    SELECT delivered_ms / 86400000, partner_id, status, coalesce(rejection_code, ''), count(*), coalesce(sum(size_bytes), 0)
    FROM deliveries GROUP BY 1, 2, 3, 4;
  `,
];

export const schemaVersion = migrations.length;

/**
 * Page size of new database files: 8 KiB rather than SQLite's 4 KiB default. Version rows carry a
 * few hundred bytes of JSON and the clustered (WITHOUT ROWID) table stores whole rows in its
 * b-tree; at 4 KiB listing a scrambled 100k-key bucket ran at about half the speed, while 16 KiB
 * pages cost more per commit (every changed page is appended to the WAL). Fixed when the file is
 * created; existing files keep theirs.
 */
const pageSizeBytes = 8 * 1024;

/** Sets the connection pragmas: WAL, fsync on every commit, foreign keys, wait for other writers. */
export function applyPragmas(db: Db, busyTimeoutMs: number, cacheBytes: number): void {
  // Must precede the switch to WAL; a no-op on files that already exist.
  db.pragma(`page_size = ${pageSizeBytes}`);
  db.pragma('journal_mode = WAL');
  // FULL: an acknowledged write survives power loss (WAL's NORMAL would only survive a crash).
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  // Negative cache_size counts KiB.
  db.pragma(`cache_size = -${Math.trunc(cacheBytes / 1024)}`);
}

/** Brings the schema to `schemaVersion`; safe when several processes open the file at once. */
export function migrate(db: Db): void {
  const run = db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > migrations.length) {
      throw new Error(`metadata schema version ${current} is newer than this s3push understands (${migrations.length})`);
    }
    for (let version = current; version < migrations.length; version++) db.exec(migrations[version]!);
    if (current !== migrations.length) db.pragma(`user_version = ${migrations.length}`);
  });
  // IMMEDIATE takes the write lock first, so two processes never both apply the same migration.
  run.immediate();
}
