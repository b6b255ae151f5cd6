// Webhook registrations and their delivery log (the retry queue) for the SQLite DeliveryStore.
import type Database from 'better-sqlite3';
import type { WebhookDelivery, WebhookRecord } from '../delivery-store.js';

function prepareStatements(db: Database.Database) {
  return {
    upsertHook: db.prepare(`INSERT INTO webhooks (id, partner_id, body) VALUES (?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET partner_id = excluded.partner_id, body = excluded.body`),
    selectHooks: db.prepare('SELECT body FROM webhooks ORDER BY id').pluck(),
    selectHooksOf: db.prepare('SELECT body FROM webhooks WHERE partner_id = ? OR partner_id IS NULL ORDER BY id').pluck(),
    deleteHook: db.prepare('DELETE FROM webhooks WHERE id = ?'),
    upsertDelivery: db.prepare(`INSERT INTO webhook_deliveries (id, webhook_id, status, next_attempt_ms, created_ms, body) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET status = excluded.status, next_attempt_ms = excluded.next_attempt_ms, body = excluded.body`),
    selectDue: db.prepare("SELECT body FROM webhook_deliveries WHERE status = 'Pending' AND next_attempt_ms <= ? ORDER BY next_attempt_ms LIMIT ?").pluck(),
    selectOfHook: db.prepare('SELECT body FROM webhook_deliveries WHERE webhook_id = ? ORDER BY created_ms DESC LIMIT ?').pluck(),
  };
}

export class SqliteWebhooks {
  private readonly statements: ReturnType<typeof prepareStatements>;

  constructor(db: Database.Database) {
    this.statements = prepareStatements(db);
  }

  put(webhook: WebhookRecord): void {
    this.statements.upsertHook.run(webhook.id, webhook.partnerId ?? null, JSON.stringify(webhook));
  }

  list(partnerId?: string): WebhookRecord[] {
    const rows = partnerId === undefined ? this.statements.selectHooks.all() : this.statements.selectHooksOf.all(partnerId);
    return (rows as string[]).map((b) => JSON.parse(b) as WebhookRecord);
  }

  delete(id: string): void {
    this.statements.deleteHook.run(id);
  }

  putDelivery(delivery: WebhookDelivery): void {
    this.statements.upsertDelivery.run(delivery.id, delivery.webhookId, delivery.status, delivery.nextAttemptMs, delivery.createdMs, JSON.stringify(delivery));
  }

  due(nowMs: number, limit: number): WebhookDelivery[] {
    return (this.statements.selectDue.all(nowMs, limit) as string[]).map((b) => JSON.parse(b) as WebhookDelivery);
  }

  ofHook(webhookId: string, limit: number): WebhookDelivery[] {
    return (this.statements.selectOfHook.all(webhookId, limit) as string[]).map((b) => JSON.parse(b) as WebhookDelivery);
  }
}
