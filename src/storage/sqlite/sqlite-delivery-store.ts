// The SQLite DeliveryStore: partners, onboarding, deliveries and webhooks in the metadata database,
// one IMMEDIATE transaction per mutation (the ingest cursor moves with the records it produced).
import type Database from 'better-sqlite3';
import type {
  DeliveryAccountRecord, DeliveryHistoryEntry, DeliveryPage, DeliveryQuery, DeliveryRecord, DeliveryStore,
  OnboardingRequest, OnboardingStatus, PartnerRecord, WebhookDelivery, WebhookRecord,
} from '../delivery-store.js';
import { SqliteDeliveries } from './deliveries.js';
import { SqlitePartners } from './partners.js';
import { SqliteWebhooks } from './webhooks.js';

export class SqliteDeliveryStore implements DeliveryStore {
  private readonly partners: SqlitePartners;
  private readonly deliveries: SqliteDeliveries;
  private readonly webhooks: SqliteWebhooks;
  private readonly transaction: Database.Transaction<<T>(work: () => T) => T>;

  constructor(db: Database.Database) {
    this.partners = new SqlitePartners(db);
    this.deliveries = new SqliteDeliveries(db);
    this.webhooks = new SqliteWebhooks(db);
    this.transaction = db.transaction(<T>(work: () => T): T => work());
  }

  private write<T>(work: () => T): T {
    return this.transaction.immediate(work) as T;
  }

  async putPartner(partner: PartnerRecord): Promise<void> { this.write(() => this.partners.putPartner(partner)); }
  async getPartner(id: string): Promise<PartnerRecord | undefined> { return this.partners.getPartner(id); }
  async getPartnerByName(name: string): Promise<PartnerRecord | undefined> { return this.partners.getPartnerByName(name); }
  async listPartners(): Promise<PartnerRecord[]> { return this.partners.listPartners(); }
  async putDeliveryAccount(account: DeliveryAccountRecord): Promise<void> { this.write(() => this.partners.putDeliveryAccount(account)); }
  async listDeliveryAccounts(partnerId: string): Promise<DeliveryAccountRecord[]> { return this.partners.listDeliveryAccounts(partnerId); }
  async markDeliveryAccountVerified(partnerId: string, name: string, atMs: number, by: string): Promise<void> {
    this.write(() => this.partners.markVerified(partnerId, name, atMs, by));
  }

  async createOnboardingRequest(request: OnboardingRequest): Promise<void> { this.write(() => this.partners.createRequest(request)); }
  async getOnboardingRequest(id: string): Promise<OnboardingRequest | undefined> { return this.partners.getRequest(id); }
  async listOnboardingRequests(status?: OnboardingStatus): Promise<OnboardingRequest[]> { return this.partners.listRequests(status); }
  async updateOnboardingRequest(request: OnboardingRequest): Promise<void> { this.write(() => this.partners.updateRequest(request)); }

  async ingestCursor(consumer: string): Promise<number> { return this.deliveries.cursor(consumer); }
  async recordIngested(consumer: string, sequence: number, records: DeliveryRecord[], webhooks: WebhookDelivery[] = []): Promise<void> {
    this.write(() => {
      const inserted = this.deliveries.recordIngested(consumer, sequence, records);
      for (const webhook of webhooks) if (inserted.has(webhook.deliveryId)) this.webhooks.putDelivery(webhook);
    });
  }
  async getDelivery(id: string): Promise<DeliveryRecord | undefined> { return this.deliveries.get(id); }
  async findCurrentDelivery(partnerId: string, key: string): Promise<DeliveryRecord | undefined> { return this.deliveries.current(partnerId, key); }
  async listUnfinishedDeliveries(limit: number): Promise<DeliveryRecord[]> { return this.deliveries.unfinished(limit); }
  async updateDelivery(record: DeliveryRecord, note: string, webhooks: WebhookDelivery[] = []): Promise<void> {
    this.write(() => {
      this.deliveries.update(record, note);
      webhooks.forEach((d) => this.webhooks.putDelivery(d));
    });
  }
  async queryDeliveries(query: DeliveryQuery): Promise<DeliveryPage> { return this.transaction.deferred(() => this.deliveries.query(query)) as DeliveryPage; }
  async deliveryHistory(deliveryId: string): Promise<DeliveryHistoryEntry[]> { return this.deliveries.history(deliveryId); }
  async deliveriesOfKey(partnerId: string, key: string): Promise<DeliveryRecord[]> { return this.deliveries.ofKey(partnerId, key); }
  async deliveryStats(partnerId: string | undefined, sinceMs: number) { return this.transaction.deferred(() => this.deliveries.stats(partnerId, sinceMs)) as ReturnType<SqliteDeliveries['stats']>; }
  async storageUsed(partnerId?: string) { return this.deliveries.storageUsed(partnerId); }

  async putWebhook(webhook: WebhookRecord): Promise<void> { this.write(() => this.webhooks.put(webhook)); }
  async listWebhooks(partnerId?: string): Promise<WebhookRecord[]> { return this.webhooks.list(partnerId); }
  async deleteWebhook(id: string): Promise<void> { this.write(() => this.webhooks.delete(id)); }
  async enqueueWebhookDeliveries(deliveries: WebhookDelivery[]): Promise<void> { this.write(() => deliveries.forEach((d) => this.webhooks.putDelivery(d))); }
  async dueWebhookDeliveries(nowMs: number, limit: number): Promise<WebhookDelivery[]> { return this.webhooks.due(nowMs, limit); }
  async updateWebhookDelivery(delivery: WebhookDelivery): Promise<void> { this.write(() => this.webhooks.putDelivery(delivery)); }
  async listWebhookDeliveries(webhookId: string, limit: number): Promise<WebhookDelivery[]> { return this.webhooks.ofHook(webhookId, limit); }
}
