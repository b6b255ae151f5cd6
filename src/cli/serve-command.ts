// `s3push serve`: the embedded default — one process with the AWS endpoint and Slate, the portal, on its own port.
import type { Command } from 'commander';

interface ServeOptions { data: string; port: string; portalPort: string; host: string; region: string; domain: string[]; deliveryBucket?: string; objectOwnershipDefault: string; quiet?: boolean }

const objectOwnerships = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'] as const;

export function registerServe(program: Command): void {
  program.command('serve')
    .description('run s3push: AWS-compatible endpoint (S3, S3 Control, IAM, STS) on one port, Slate on another')
    .option('--data <dir>', 'data directory (env S3PUSH_DATA)', process.env['S3PUSH_DATA'] ?? './.s3push')
    .option('--port <port>', 'AWS endpoint port', '9000')
    .option('--portal-port <port>', 'Slate portal port', '9001')
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--region <region>', 'region this endpoint serves', 'us-east-1')
    .option('--domain <host>', 'extra base host name for virtual-host-style requests (repeatable)', (value: string, all: string[]) => [...all, value], [] as string[])
    .option('--delivery-bucket <name>', 'name of the delivery bucket created at first start')
    .option('--object-ownership-default <ownership>',
      'Object Ownership of buckets created without x-amz-object-ownership: BucketOwnerEnforced (ACLs disabled, AWS\'s default), BucketOwnerPreferred or ObjectWriter (ACLs on, AWS\'s default before April 2023)',
      'BucketOwnerEnforced')
    .option('--quiet', 'log only warnings and errors')
    .action(async (options: ServeOptions) => {
      const port = parsePort(options.port, '--port');
      const portalPort = parsePort(options.portalPort, '--portal-port');
      const objectOwnershipDefault = objectOwnerships.find((o) => o === options.objectOwnershipDefault);
      if (!objectOwnershipDefault) throw new Error(`--object-ownership-default must be one of ${objectOwnerships.join(', ')}, not "${options.objectOwnershipDefault}"`);
      // Loaded here, not at the top: the admin commands never pay for the server's modules.
      const { startServer } = await import('../main/start-server.js');
      const server = await startServer({
        dataDir: options.data, port, portalPort, host: options.host, region: options.region, domains: options.domain,
        ...(options.deliveryBucket ? { deliveryBucket: options.deliveryBucket } : {}),
        objectOwnershipDefault,
        quiet: options.quiet ?? false,
      });
      const { platform, layout } = server;
      const lines = [
        `s3push listening on ${server.endpoint} (S3, S3 Control, IAM, STS)`,
        `data directory:      ${layout.root}`,
        `platform account:    ${platform.accountId}`,
        `delivery bucket:     ${platform.deliveryBucket}`,
        `credentials:         ${layout.credentials} (profile "platform")`,
        `Slate (portal):      ${server.portalUrl ?? '(not started)'}`,
        `portal login:        ${layout.portalLogin} (user "operator" and its first password)`,
      ];
      if (platform.created) lines.push('first start: platform account, delivery bucket and credentials created');
      process.stdout.write(lines.join('\n') + '\n');
      const shutdown = () => { void server.close().then(() => process.exit(0)); };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
      // Under `npx` / `npm exec`, npm does not pass SIGTERM on to this process: stopping npx would orphan the
      // server. It goes with npm instead (a server started any other way is left alone: `nohup`, systemd, …).
      if (process.env['npm_command'] === 'exec') stopWhenOrphaned(shutdown);
    });
}

function stopWhenOrphaned(stop: () => void): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    stop();
  }, 1_000);
  timer.unref();
}

function parsePort(value: string, flag: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${flag} must be a port number, not "${value}"`);
  return port;
}
