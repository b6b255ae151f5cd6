// IAM policies for the SQLite IamStore: inline policies, managed policies and their versions, attachments.
import assert from 'node:assert';
import type Database from 'better-sqlite3';
import { limits } from '../../core/limits.js';
import {
  IamConflict, type InlinePolicyRecord, type ManagedPolicyRecord, type PolicyOwner, type PolicyVersionRecord,
} from '../iam-store.js';

interface ManagedRow {
  arn: string; account_id: string; name: string; path: string; policy_id: string; description: string | null;
  created_ms: number; updated_ms: number; default_version_id: string; next_version: number; tags: string; attachments: number;
}
interface VersionRow { policy_arn: string; version_id: string; document: string; created_ms: number }

const managedColumns = `p.*, (SELECT count(*) FROM iam_attachments a WHERE a.policy_arn = p.arn) AS attachments`;

const ownerNoun = { user: 'User', role: 'Role', group: 'Group' } as const;

function prepareStatements(db: Database.Database) {
  return {
    upsertInline: db.prepare(`INSERT INTO iam_inline_policies (owner_kind, account_id, owner_name, policy_name, document) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (owner_kind, account_id, owner_name, policy_name) DO UPDATE SET document = excluded.document`),
    selectInline: db.prepare('SELECT policy_name, document FROM iam_inline_policies WHERE owner_kind = ? AND account_id = ? AND owner_name = ? AND policy_name = ?'),
    selectInlines: db.prepare('SELECT policy_name, document FROM iam_inline_policies WHERE owner_kind = ? AND account_id = ? AND owner_name = ? ORDER BY policy_name'),
    deleteInline: db.prepare('DELETE FROM iam_inline_policies WHERE owner_kind = ? AND account_id = ? AND owner_name = ? AND policy_name = ?'),
    insertManaged: db.prepare(`INSERT INTO iam_managed_policies (arn, account_id, name, path, policy_id, description, created_ms, updated_ms, default_version_id, next_version, tags)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    selectManaged: db.prepare(`SELECT ${managedColumns} FROM iam_managed_policies p WHERE arn = ?`),
    selectManagedByName: db.prepare('SELECT arn FROM iam_managed_policies WHERE account_id = ? AND name = ?').pluck(),
    selectManagedList: db.prepare(`SELECT ${managedColumns} FROM iam_managed_policies p WHERE account_id = ? AND substr(path, 1, length(?)) = ? ORDER BY name`),
    deleteManaged: db.prepare('DELETE FROM iam_managed_policies WHERE arn = ?'),
    bumpVersion: db.prepare('UPDATE iam_managed_policies SET next_version = next_version + 1, updated_ms = ? WHERE arn = ?'),
    setDefault: db.prepare('UPDATE iam_managed_policies SET default_version_id = ? WHERE arn = ?'),
    insertVersion: db.prepare('INSERT INTO iam_policy_versions (policy_arn, version_id, document, created_ms) VALUES (?, ?, ?, ?)'),
    selectVersion: db.prepare('SELECT * FROM iam_policy_versions WHERE policy_arn = ? AND version_id = ?'),
    // Version ids are v1, v2, … v10: order by their number, not their text (v10 sorts before v9).
    selectVersions: db.prepare('SELECT * FROM iam_policy_versions WHERE policy_arn = ? ORDER BY CAST(substr(version_id, 2) AS INTEGER) DESC'),
    countVersions: db.prepare('SELECT count(*) FROM iam_policy_versions WHERE policy_arn = ?').pluck(),
    deleteVersion: db.prepare('DELETE FROM iam_policy_versions WHERE policy_arn = ? AND version_id = ?'),
    insertAttachment: db.prepare('INSERT OR IGNORE INTO iam_attachments (owner_kind, account_id, owner_name, policy_arn) VALUES (?, ?, ?, ?)'),
    selectAttachment: db.prepare('SELECT 1 FROM iam_attachments WHERE owner_kind = ? AND account_id = ? AND owner_name = ? AND policy_arn = ?').pluck(),
    selectAttachmentsOfPolicy: db.prepare('SELECT owner_kind, account_id, owner_name FROM iam_attachments WHERE policy_arn = ? ORDER BY owner_kind, owner_name'),
    deleteAttachment: db.prepare('DELETE FROM iam_attachments WHERE owner_kind = ? AND account_id = ? AND owner_name = ? AND policy_arn = ?'),
    countAttachmentsOf: db.prepare('SELECT count(*) FROM iam_attachments WHERE owner_kind = ? AND account_id = ? AND owner_name = ?').pluck(),
    selectAttached: db.prepare(`SELECT ${managedColumns} FROM iam_attachments a2 JOIN iam_managed_policies p ON p.arn = a2.policy_arn
      WHERE a2.owner_kind = ? AND a2.account_id = ? AND a2.owner_name = ? ORDER BY p.name`),
    selectAttachedDocuments: db.prepare(`SELECT p.arn, p.name, v.document FROM iam_attachments a JOIN iam_managed_policies p ON p.arn = a.policy_arn
      JOIN iam_policy_versions v ON v.policy_arn = p.arn AND v.version_id = p.default_version_id
      WHERE a.owner_kind = ? AND a.account_id = ? AND a.owner_name = ? ORDER BY p.name`),
  };
}

export class SqliteIamPolicies {
  private readonly statements: ReturnType<typeof prepareStatements>;

  constructor(db: Database.Database) {
    this.statements = prepareStatements(db);
  }

  putInline(policy: InlinePolicyRecord): void {
    const { owner } = policy;
    this.statements.upsertInline.run(owner.kind, owner.accountId, owner.name, policy.policyName, policy.document);
  }

  getInline(owner: PolicyOwner, policyName: string): InlinePolicyRecord | undefined {
    const row = this.statements.selectInline.get(owner.kind, owner.accountId, owner.name, policyName) as { policy_name: string; document: string } | undefined;
    return row && { owner, policyName: row.policy_name, document: row.document };
  }

  listInline(owner: PolicyOwner): InlinePolicyRecord[] {
    return (this.statements.selectInlines.all(owner.kind, owner.accountId, owner.name) as { policy_name: string; document: string }[])
      .map((row) => ({ owner, policyName: row.policy_name, document: row.document }));
  }

  deleteInline(owner: PolicyOwner, policyName: string): void {
    if (this.statements.deleteInline.run(owner.kind, owner.accountId, owner.name, policyName).changes === 0) {
      throw new IamConflict('NoSuchEntity', `The ${owner.kind} policy with name ${policyName} cannot be found.`);
    }
  }

  createManaged(policy: ManagedPolicyRecord, firstVersion: PolicyVersionRecord): void {
    assert(firstVersion.versionId === 'v1' && firstVersion.policyArn === policy.arn, 'the first version of a managed policy is its v1');
    if (this.statements.selectManagedByName.get(policy.accountId, policy.name)) {
      throw new IamConflict('EntityAlreadyExists', `A policy called ${policy.name} already exists. Duplicate names are not allowed.`);
    }
    this.statements.insertManaged.run(policy.arn, policy.accountId, policy.name, policy.path, policy.policyId, policy.description ?? null,
      policy.createdMs, policy.updatedMs, firstVersion.versionId, 2, JSON.stringify(policy.tags));
    this.statements.insertVersion.run(policy.arn, firstVersion.versionId, firstVersion.document, firstVersion.createdMs);
  }

  getManaged(arn: string): ManagedPolicyRecord | undefined {
    const row = this.statements.selectManaged.get(arn) as ManagedRow | undefined;
    return row && toManaged(row);
  }

  listManaged(accountId: string, pathPrefix: string, onlyAttached: boolean): ManagedPolicyRecord[] {
    return (this.statements.selectManagedList.all(accountId, pathPrefix, pathPrefix) as ManagedRow[])
      .map(toManaged)
      .filter((p) => !onlyAttached || p.attachmentCount > 0);
  }

  deleteManaged(arn: string): void {
    const policy = this.requireManaged(arn);
    if (policy.attachmentCount > 0) throw new IamConflict('DeleteConflict', 'Cannot delete a policy attached to entities.');
    if ((this.statements.countVersions.get(arn) as number) > 1) {
      throw new IamConflict('DeleteConflict', "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
    }
    this.statements.deleteManaged.run(arn);
  }

  /** The caller gives the document; the store assigns the next version id (v2, v3, … never reused). */
  createVersion(version: Omit<PolicyVersionRecord, 'versionId'>): PolicyVersionRecord {
    const row = this.statements.selectManaged.get(version.policyArn) as ManagedRow | undefined;
    if (!row) throw new IamConflict('NoSuchEntity', `Policy ${version.policyArn} does not exist or is not attachable.`);
    if ((this.statements.countVersions.get(version.policyArn) as number) >= limits.policyVersionsMax) {
      throw new IamConflict('LimitExceeded', `A managed policy can have up to ${limits.policyVersionsMax} versions. Before you create a new version, you must delete an existing version.`);
    }
    const versionId = `v${row.next_version}`;
    this.statements.insertVersion.run(version.policyArn, versionId, version.document, version.createdMs);
    this.statements.bumpVersion.run(version.createdMs, version.policyArn);
    if (version.isDefault) this.statements.setDefault.run(versionId, version.policyArn);
    return { ...version, versionId };
  }

  getVersion(arn: string, versionId: string): PolicyVersionRecord | undefined {
    const row = this.statements.selectVersion.get(arn, versionId) as VersionRow | undefined;
    const policy = row && this.getManaged(arn);
    return row && policy && toVersion(row, policy.defaultVersionId);
  }

  listVersions(arn: string): PolicyVersionRecord[] {
    const policy = this.requireManaged(arn);
    return (this.statements.selectVersions.all(arn) as VersionRow[]).map((row) => toVersion(row, policy.defaultVersionId));
  }

  deleteVersion(arn: string, versionId: string): void {
    const policy = this.requireManaged(arn);
    if (policy.defaultVersionId === versionId) throw new IamConflict('DeleteConflict', 'Cannot delete the default version of a policy.');
    if (this.statements.deleteVersion.run(arn, versionId).changes === 0) throw new IamConflict('NoSuchEntity', `Policy ${arn} version ${versionId} does not exist.`);
  }

  setDefaultVersion(arn: string, versionId: string): void {
    this.requireManaged(arn);
    if (!this.statements.selectVersion.get(arn, versionId)) throw new IamConflict('NoSuchEntity', `Policy ${arn} version ${versionId} does not exist.`);
    this.statements.setDefault.run(versionId, arn);
  }

  attach(owner: PolicyOwner, policyArn: string): void {
    this.requireManaged(policyArn);
    // Attaching again is a no-op on AWS, even for a principal at its quota.
    if (this.statements.selectAttachment.get(owner.kind, owner.accountId, owner.name, policyArn)) return;
    if ((this.statements.countAttachmentsOf.get(owner.kind, owner.accountId, owner.name) as number) >= limits.managedPoliciesPerPrincipalMax) {
      throw new IamConflict('LimitExceeded', `Cannot exceed quota for PoliciesPer${ownerNoun[owner.kind]}: ${limits.managedPoliciesPerPrincipalMax}`);
    }
    this.statements.insertAttachment.run(owner.kind, owner.accountId, owner.name, policyArn);
  }

  detach(owner: PolicyOwner, policyArn: string): void {
    if (this.statements.deleteAttachment.run(owner.kind, owner.accountId, owner.name, policyArn).changes === 0) {
      throw new IamConflict('NoSuchEntity', `Policy ${policyArn} was not found.`);
    }
  }

  listAttached(owner: PolicyOwner): ManagedPolicyRecord[] {
    return (this.statements.selectAttached.all(owner.kind, owner.accountId, owner.name) as ManagedRow[]).map(toManaged);
  }

  attachmentsOf(policyArn: string): PolicyOwner[] {
    return (this.statements.selectAttachmentsOfPolicy.all(policyArn) as { owner_kind: PolicyOwner['kind']; account_id: string; owner_name: string }[])
      .map((row) => ({ kind: row.owner_kind, accountId: row.account_id, name: row.owner_name }));
  }

  attachedDocuments(owner: PolicyOwner): { arn: string; name: string; document: string }[] {
    return this.statements.selectAttachedDocuments.all(owner.kind, owner.accountId, owner.name) as { arn: string; name: string; document: string }[];
  }

  private requireManaged(arn: string): ManagedPolicyRecord {
    const policy = this.getManaged(arn);
    if (!policy) throw new IamConflict('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
    return policy;
  }
}

function toManaged(row: ManagedRow): ManagedPolicyRecord {
  return {
    arn: row.arn, accountId: row.account_id, name: row.name, path: row.path, policyId: row.policy_id, description: row.description ?? undefined,
    createdMs: row.created_ms, updatedMs: row.updated_ms, defaultVersionId: row.default_version_id, attachmentCount: row.attachments, tags: JSON.parse(row.tags),
  };
}

function toVersion(row: VersionRow, defaultVersionId: string): PolicyVersionRecord {
  return { policyArn: row.policy_arn, versionId: row.version_id, document: row.document, createdMs: row.created_ms, isDefault: row.version_id === defaultVersionId };
}
