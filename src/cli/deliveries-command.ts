// `s3push deliveries list`: delivery records, newest first, with the filters the portal has.
import type { Command } from 'commander';
import { adminCall } from './admin-client.js';
import { addTargetOptions, printResult, targetOf } from './common-options.js';

interface DeliveryView { id: string; partner: string; deliveryAccount: string; key: string; versionId: string; size: number; status: string; deliveredAt: string; deliveredBy: string; method: string; rejection: { code: string } | null }
interface Page { deliveries: DeliveryView[]; nextCursor: string | null; total: number }

const listLimitMax = 10_000;

export function registerDeliveries(program: Command): void {
  const deliveries = program.command('deliveries').description('delivery records');
  addTargetOptions(deliveries.command('list').description('list deliveries, newest first'))
    .option('--partner <name>', 'only this partner')
    .option('--status <status>', 'Received, Validating, Accepted, Ingested or Rejected')
    .option('--search <text>', 'key contains')
    .option('--limit <n>', `at most this many (≤ ${listLimitMax})`, '1000')
    .action(async (o: { partner?: string; status?: string; search?: string; limit: string; endpoint: string; data: string; json?: boolean }) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > listLimitMax) throw new Error(`--limit must be 1-${listLimitMax}`);
      const query = new URLSearchParams();
      if (o.partner) query.set('partner', o.partner);
      if (o.status) query.set('status', o.status);
      if (o.search) query.set('search', o.search);
      const all: DeliveryView[] = [];
      let cursor: string | null = null;
      do {
        query.set('limit', String(Math.min(500, limit - all.length)));
        if (cursor) query.set('cursor', cursor);
        const page: Page = await adminCall<Page>(targetOf(o), 'GET', `/api/v1/deliveries?${query}`);
        all.push(...page.deliveries);
        cursor = page.nextCursor;
      } while (cursor && all.length < limit);
      printResult(o, all, () => all.map((d) => `${d.deliveredAt}  ${d.status.padEnd(10)} ${d.partner}/${d.deliveryAccount}  ${d.key}  ${d.size} B  ${d.method}${d.rejection ? `  ${d.rejection.code}` : ''}`).join('\n') || 'No deliveries.');
    });
}
