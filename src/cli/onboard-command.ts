// `s3push onboard request|approve|reject|list`: partner onboarding through the running server's API.
import type { Command } from 'commander';
import { adminCall } from './admin-client.js';
import { addTargetOptions, printResult, targetOf } from './common-options.js';

type Target = { endpoint: string; data: string; json?: boolean };
const repeat = (value: string, all: string[]) => [...all, value];

interface Grant { id: string; status: string; accessPointArn: string; alias: string; prefix: string; policy: unknown; commands: { cli: string } }
interface Request { id: string; status: string; partner: string; roleArns: string[]; deliveryAccounts: string[]; region: string; createdAt: string; rejectionReason: string | null }

export function registerOnboard(program: Command): void {
  const onboard = program.command('onboard').description('partner onboarding: request, approve, reject, list');
  addTargetOptions(onboard.command('request').description('request onboarding for a partner'))
    .requiredOption('--partner <name>', 'partner name')
    .requiredOption('--role-arn <arn>', 'IAM role ARN allowed to deliver (repeatable)', repeat, [] as string[])
    .requiredOption('--delivery-account <name>', 'delivery account name (repeatable)', repeat, [] as string[])
    .requiredOption('--region <region>', 'region of the partner\'s source buckets')
    .option('--source-bucket <name>', 'the partner\'s source bucket (fills the generated policy\'s source statements)')
    .option('--contact <email>', 'partner contact e-mail (repeatable)', repeat, [] as string[])
    .action(async (o: Target & { partner: string; roleArn: string[]; deliveryAccount: string[]; region: string; sourceBucket?: string; contact: string[] }) => {
      const created = await adminCall<Request>(targetOf(o), 'POST', '/api/v1/onboarding-requests', {
        partner: o.partner, roleArns: o.roleArn, deliveryAccounts: o.deliveryAccount, region: o.region,
        ...(o.sourceBucket ? { sourceBucket: o.sourceBucket } : {}), contacts: o.contact.map((email) => ({ email })),
      });
      printResult(o, created, () => `Onboarding request ${created.id} (${created.status}). Approve it with: s3push onboard approve ${created.id}`);
    });
  addTargetOptions(onboard.command('approve <id>').description('approve a request: creates the access point, prefix and policies'))
    .action(async (id: string, o: Target) => {
      const grant = await adminCall<Grant>(targetOf(o), 'POST', `/api/v1/onboarding-requests/${encodeURIComponent(id)}/approve`);
      printResult(o, grant, () => [
        `Approved ${grant.id}.`,
        `access point ARN: ${grant.accessPointArn}`,
        `alias:            ${grant.alias}`,
        `prefix:           ${grant.prefix}`,
        '',
        'IAM policy for the partner\'s delivery role:',
        JSON.stringify(grant.policy, null, 2),
        '',
        'First delivery:',
        grant.commands.cli,
      ].join('\n'));
    });
  addTargetOptions(onboard.command('reject <id>').description('reject a request with a reason'))
    .requiredOption('--reason <text>', 'why, in words the partner can act on')
    .action(async (id: string, o: Target & { reason: string }) => {
      const rejected = await adminCall<Request>(targetOf(o), 'POST', `/api/v1/onboarding-requests/${encodeURIComponent(id)}/reject`, { reason: o.reason });
      printResult(o, rejected, () => `Rejected ${rejected.id}: ${rejected.rejectionReason}`);
    });
  addTargetOptions(onboard.command('list').description('list onboarding requests'))
    .option('--status <status>', 'Pending, Approved or Rejected')
    .action(async (o: Target & { status?: string }) => {
      const requests = await adminCall<Request[]>(targetOf(o), 'GET', `/api/v1/onboarding-requests${o.status ? `?status=${encodeURIComponent(o.status)}` : ''}`);
      printResult(o, requests, () => requests.map((r) => `${r.id}  ${r.status.padEnd(8)}  ${r.partner}  ${r.roleArns.join(',')}`).join('\n') || 'No onboarding requests.');
    });
}
