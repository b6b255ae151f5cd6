// `s3push webhooks create|list|delete|deliveries|test`: signed notifications of delivery status changes.
import type { Command } from 'commander';
import { adminCall } from './admin-client.js';
import { addTargetOptions, printResult, targetOf } from './common-options.js';

type Target = { endpoint: string; data: string; json?: boolean };
const repeat = (value: string, all: string[]) => [...all, value];

interface Webhook { id: string; partner: string | null; url: string; statuses: string[]; active: boolean; createdAt: string; secret?: string }
interface WebhookDelivery {
  id: string; event: string; deliveryId: string | null; deliveryStatus: string | null; status: string; attempts: number;
  lastResponse: string | null; createdAt: string; attemptLog: { at: string; statusCode: number | null; error: string | null; durationMs: number }[];
}

const scopeOf = (hook: Webhook) => hook.partner ?? 'all partners';
const statusesOf = (hook: Webhook) => (hook.statuses.length ? hook.statuses.join(',') : 'every status');
const logLine = (d: WebhookDelivery) =>
  `${d.createdAt}  ${d.status.padEnd(9)} ${d.event}${d.deliveryId ? ` ${d.deliveryId} → ${d.deliveryStatus}` : ''}  attempts ${d.attempts}  ${d.lastResponse ?? ''}`;

export function registerWebhooks(program: Command): void {
  const webhooks = program.command('webhooks').description('webhooks: signed HTTP notifications of delivery status changes');
  addTargetOptions(webhooks.command('create').description('register a webhook; prints its signing secret once'))
    .requiredOption('--url <url>', 'http:// or https:// URL that receives the POSTs')
    .option('--partner <name>', 'only this partner\'s deliveries (default: every partner)')
    .option('--status <status>', 'only when a delivery enters this status: Received, Validating, Accepted, Ingested or Rejected (repeatable; none: every change)', repeat, [] as string[])
    .action(async (o: Target & { url: string; partner?: string; status: string[] }) => {
      const hook = await adminCall<Webhook>(targetOf(o), 'POST', '/api/v1/webhooks', { url: o.url, statuses: o.status, ...(o.partner ? { partner: o.partner } : {}) });
      printResult(o, hook, () => [
        `Webhook ${hook.id} → ${hook.url} (${scopeOf(hook)}, ${statusesOf(hook)}).`,
        `signing secret: ${hook.secret}`,
        'Keep the secret now: it is not shown again. Verify X-S3push-Signature with it (docs/webhooks.md).',
      ].join('\n'));
    });
  addTargetOptions(webhooks.command('list').description('list webhooks'))
    .option('--partner <name>', 'only this partner\'s webhooks')
    .action(async (o: Target & { partner?: string }) => {
      const hooks = await adminCall<Webhook[]>(targetOf(o), 'GET', `/api/v1/webhooks${o.partner ? `?partner=${encodeURIComponent(o.partner)}` : ''}`);
      printResult(o, hooks, () => hooks.map((h) => `${h.id}  ${h.url}  ${scopeOf(h)}  ${statusesOf(h)}`).join('\n') || 'No webhooks.');
    });
  addTargetOptions(webhooks.command('delete <id>').description('delete a webhook'))
    .action(async (id: string, o: Target) => {
      await adminCall<undefined>(targetOf(o), 'DELETE', `/api/v1/webhooks/${encodeURIComponent(id)}`);
      printResult(o, { id, deleted: true }, () => `Deleted webhook ${id}.`);
    });
  addTargetOptions(webhooks.command('deliveries <id>').description('the delivery log of a webhook, newest first, with every attempt'))
    .option('--limit <n>', 'at most this many (1-100)', '50')
    .action(async (id: string, o: Target & { limit: string }) => {
      const log = await adminCall<WebhookDelivery[]>(targetOf(o), 'GET', `/api/v1/webhooks/${encodeURIComponent(id)}/deliveries?limit=${encodeURIComponent(o.limit)}`);
      printResult(o, log, () => log.map(logLine).join('\n') || 'Nothing sent yet.');
    });
  addTargetOptions(webhooks.command('test <id>').description('send a signed ping now and show the answer'))
    .action(async (id: string, o: Target) => {
      const sent = await adminCall<WebhookDelivery>(targetOf(o), 'POST', `/api/v1/webhooks/${encodeURIComponent(id)}/test`);
      printResult(o, sent, () => `Ping ${sent.id}: ${sent.status} (${sent.lastResponse ?? 'no answer'}, ${sent.attemptLog[0]?.durationMs ?? 0} ms).`);
    });
}
