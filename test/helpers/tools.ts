// External tools some suites need (aws CLI, boto3, rclone, s3cmd): skip with a reason when missing,
// except in CI (S3PUSH_REQUIRE_TOOLS=1), where a missing tool is a failure.
import { spawnSync } from 'node:child_process';

const probes: Record<string, [string, string[]]> = {
  aws: ['aws', ['--version']],
  boto3: ['python3', ['-c', 'import boto3']],
  rclone: ['rclone', ['version']],
  s3cmd: ['s3cmd', ['--version']],
  ffmpeg: ['ffmpeg', ['-version']],
};

const cache = new Map<string, boolean>();

function available(tool: string): boolean {
  let known = cache.get(tool);
  if (known === undefined) {
    const [command, args] = probes[tool] ?? [tool, ['--version']];
    known = spawnSync(command, args, { stdio: 'ignore' }).status === 0;
    cache.set(tool, known);
  }
  return known;
}

/** `false` when every tool is present, else the skip reason; throws in CI so nothing silently skips. */
export function skipUnless(...tools: string[]): string | false {
  const missing = tools.filter((t) => !available(t));
  if (missing.length === 0) return false;
  const reason = `needs ${missing.join(', ')} (not installed)`;
  if (process.env['S3PUSH_REQUIRE_TOOLS'] === '1') throw new Error(`CI requires ${missing.join(', ')}: ${reason}`);
  console.log(`# skipping: ${reason}`);
  return reason;
}

/** Environment for AWS CLI / boto3 subprocesses against our endpoint (no shared config, no CA bundle). */
export function awsEnv(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('AWS_')) delete env[name];
  return {
    ...env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
    ...extra,
  };
}
