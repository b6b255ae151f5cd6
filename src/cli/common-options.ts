// Options every admin command shares: where the server is and where its data (credentials) live.
import type { Command } from 'commander';
import type { AdminTarget } from './admin-client.js';

export function addTargetOptions(command: Command): Command {
  return command
    .option('--endpoint <url>', 'AWS endpoint of the running server (env S3PUSH_ENDPOINT)', process.env['S3PUSH_ENDPOINT'] ?? 'http://127.0.0.1:9000')
    .option('--data <dir>', 'data directory holding the platform credentials (env S3PUSH_DATA)', process.env['S3PUSH_DATA'] ?? './.s3push')
    .option('--json', 'print machine-readable JSON');
}

export function targetOf(options: { endpoint: string; data: string }): AdminTarget {
  return { endpoint: options.endpoint, dataDir: options.data };
}

export function printResult(options: { json?: boolean }, value: unknown, human: () => string): void {
  process.stdout.write((options.json ? JSON.stringify(value, null, 2) : human()) + '\n');
}
