// Partners, delivery accounts and onboarding requests for the SQLite DeliveryStore.
import type Database from 'better-sqlite3';
import {
  DeliveryConflict, type DeliveryAccountRecord, type OnboardingRequest, type OnboardingStatus, type PartnerRecord,
} from '../delivery-store.js';

function prepareStatements(db: Database.Database) {
  return {
    upsertPartner: db.prepare(`INSERT INTO partners (id, name, prefix, body) VALUES (?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, prefix = excluded.prefix, body = excluded.body`),
    selectPartner: db.prepare('SELECT body FROM partners WHERE id = ?').pluck(),
    selectPartnerByName: db.prepare('SELECT body FROM partners WHERE name = ?').pluck(),
    selectPartnerByPrefix: db.prepare('SELECT id FROM partners WHERE prefix = ? AND id <> ?').pluck(),
    selectPartners: db.prepare('SELECT body FROM partners ORDER BY name').pluck(),
    upsertAccount: db.prepare(`INSERT INTO delivery_accounts (partner_id, name, body) VALUES (?, ?, ?)
      ON CONFLICT (partner_id, name) DO UPDATE SET body = excluded.body`),
    selectAccount: db.prepare('SELECT body FROM delivery_accounts WHERE partner_id = ? AND name = ?').pluck(),
    selectAccounts: db.prepare('SELECT body FROM delivery_accounts WHERE partner_id = ? ORDER BY name').pluck(),
    insertRequest: db.prepare('INSERT INTO onboarding_requests (id, status, created_ms, body) VALUES (?, ?, ?, ?)'),
    updateRequest: db.prepare('UPDATE onboarding_requests SET status = ?, body = ? WHERE id = ?'),
    selectRequest: db.prepare('SELECT body FROM onboarding_requests WHERE id = ?').pluck(),
    selectRequests: db.prepare('SELECT body FROM onboarding_requests ORDER BY created_ms, id').pluck(),
    selectRequestsByStatus: db.prepare('SELECT body FROM onboarding_requests WHERE status = ? ORDER BY created_ms, id').pluck(),
  };
}

export class SqlitePartners {
  private readonly statements: ReturnType<typeof prepareStatements>;

  constructor(db: Database.Database) {
    this.statements = prepareStatements(db);
  }

  putPartner(partner: PartnerRecord): void {
    if (this.statements.selectPartnerByPrefix.get(partner.prefix, partner.id)) throw new DeliveryConflict('Conflict', `The prefix ${partner.prefix} belongs to another partner.`);
    const sameName = parse<PartnerRecord>(this.statements.selectPartnerByName.get(partner.name));
    if (sameName && sameName.id !== partner.id) throw new DeliveryConflict('Conflict', `A partner named ${partner.name} exists already.`);
    this.statements.upsertPartner.run(partner.id, partner.name, partner.prefix, JSON.stringify(partner));
  }

  getPartner(id: string): PartnerRecord | undefined {
    return parse(this.statements.selectPartner.get(id));
  }

  getPartnerByName(name: string): PartnerRecord | undefined {
    return parse(this.statements.selectPartnerByName.get(name));
  }

  listPartners(): PartnerRecord[] {
    return (this.statements.selectPartners.all() as string[]).map((b) => JSON.parse(b) as PartnerRecord);
  }

  putDeliveryAccount(account: DeliveryAccountRecord): void {
    if (!this.getPartner(account.partnerId)) throw new DeliveryConflict('NotFound', `No partner ${account.partnerId}.`);
    const existing = parse<DeliveryAccountRecord>(this.statements.selectAccount.get(account.partnerId, account.name));
    // Keep the first verification if the account is re-registered (approval is idempotent).
    const merged = existing?.verifiedMs !== undefined ? { ...account, verifiedMs: existing.verifiedMs, verifiedBy: existing.verifiedBy } : account;
    this.statements.upsertAccount.run(account.partnerId, account.name, JSON.stringify(merged));
  }

  listDeliveryAccounts(partnerId: string): DeliveryAccountRecord[] {
    return (this.statements.selectAccounts.all(partnerId) as string[]).map((b) => JSON.parse(b) as DeliveryAccountRecord);
  }

  markVerified(partnerId: string, name: string, atMs: number, by: string): void {
    const account = parse<DeliveryAccountRecord>(this.statements.selectAccount.get(partnerId, name));
    if (!account) throw new DeliveryConflict('NotFound', `No delivery account ${name} for partner ${partnerId}.`);
    if (account.verifiedMs !== undefined) return;
    this.statements.upsertAccount.run(partnerId, name, JSON.stringify({ ...account, verifiedMs: atMs, verifiedBy: by }));
  }

  createRequest(request: OnboardingRequest): void {
    this.statements.insertRequest.run(request.id, request.status, request.createdMs, JSON.stringify(request));
  }

  getRequest(id: string): OnboardingRequest | undefined {
    return parse(this.statements.selectRequest.get(id));
  }

  listRequests(status?: OnboardingStatus): OnboardingRequest[] {
    const rows = status ? this.statements.selectRequestsByStatus.all(status) : this.statements.selectRequests.all();
    return (rows as string[]).map((b) => JSON.parse(b) as OnboardingRequest);
  }

  updateRequest(request: OnboardingRequest): void {
    if (this.statements.updateRequest.run(request.status, JSON.stringify(request), request.id).changes === 0) {
      throw new DeliveryConflict('NotFound', `No onboarding request ${request.id}.`);
    }
  }
}

function parse<T>(body: unknown): T | undefined {
  return typeof body === 'string' ? (JSON.parse(body) as T) : undefined;
}
