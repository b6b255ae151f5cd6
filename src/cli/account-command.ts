// `s3push account create|list`: emulated partner AWS accounts with root access keys.
import type { Command } from 'commander';
import { adminCall } from './admin-client.js';
import { addTargetOptions, printResult, targetOf } from './common-options.js';

interface CreatedAccount { accountId: string; name: string; accessKeyId: string; secretAccessKey: string }

export function registerAccount(program: Command): void {
  const account = program.command('account').description('manage emulated AWS accounts (stand-ins for partners\' own accounts)');
  addTargetOptions(account.command('create').description('create an account with root access keys'))
    .requiredOption('--name <name>', 'account name')
    .option('--id <accountId>', '12-digit account id (random when omitted)')
    .action(async (options: { name: string; id?: string; endpoint: string; data: string; json?: boolean }) => {
      const created = await adminCall<CreatedAccount>(targetOf(options), 'POST', '/api/v1/accounts', { name: options.name, ...(options.id ? { accountId: options.id } : {}) });
      printResult(options, created, () => [
        `Account ${created.name} (${created.accountId}) created.`,
        '',
        `[${created.name}]`,
        `aws_access_key_id = ${created.accessKeyId}`,
        `aws_secret_access_key = ${created.secretAccessKey}`,
      ].join('\n'));
    });
  addTargetOptions(account.command('list').description('list accounts'))
    .action(async (options: { endpoint: string; data: string; json?: boolean }) => {
      const accounts = await adminCall<{ accountId: string; name: string; createdAt: string }[]>(targetOf(options), 'GET', '/api/v1/accounts');
      printResult(options, accounts, () => accounts.map((a) => `${a.accountId}  ${a.name}`).join('\n'));
    });
}
