// `s3push explain`: why a principal may or may not perform an action on an S3 resource, statement by statement.
import type { Command } from 'commander';
import { adminCall } from './admin-client.js';
import { addTargetOptions, printResult, targetOf } from './common-options.js';

interface Explanation { decision: string; reason: string; explanation: string }

export function registerExplain(program: Command): void {
  addTargetOptions(program.command('explain').description('explain an authorization decision (the same one the server makes)'))
    .requiredOption('--principal <arn>', 'caller: root, user, role or assumed-role session ARN (or "anonymous")')
    .requiredOption('--action <action>', 'IAM action, e.g. s3:PutObject')
    .requiredOption('--resource <arn>', 'S3 resource: arn:aws:s3:::bucket[/key] or an access point ARN [/object/key]')
    .option('--context <key=value>', 'condition key (repeatable), e.g. s3:prefix=studio/', (value: string, all: string[]) => [...all, value], [] as string[])
    .action(async (options: { principal: string; action: string; resource: string; context: string[]; endpoint: string; data: string; json?: boolean }) => {
      const context: Record<string, string> = {};
      for (const pair of options.context) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new Error(`--context needs key=value, not "${pair}"`);
        context[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
      const result = await adminCall<Explanation>(targetOf(options), 'POST', '/api/v1/explain', { principal: options.principal, action: options.action, resource: options.resource, context });
      printResult(options, result, () => result.explanation);
    });
}
