// The `s3push` command line: serve, and admin commands that talk to a running server. Thin: it calls modules.
import { Command, CommanderError } from 'commander';
import { registerServe } from './serve-command.js';
import { registerAccount } from './account-command.js';
import { registerExplain } from './explain-command.js';
import { registerOnboard } from './onboard-command.js';
import { registerDeliveries } from './deliveries-command.js';
import { registerWebhooks } from './webhooks-command.js';
import { CliError } from './admin-client.js';

export function buildProgram(): Command {
  const program = new Command('s3push')
    .description('S3 Push Delivery: an AWS-compatible endpoint, ingest pipeline and portal for media deliveries')
    .exitOverride();
  registerServe(program);
  registerAccount(program);
  registerExplain(program);
  registerOnboard(program);
  registerDeliveries(program);
  registerWebhooks(program);
  return program;
}

export async function run(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    const message = error instanceof CliError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`s3push: ${message.split('\n')[0]}\n`);
    process.exitCode = 1;
  }
}
