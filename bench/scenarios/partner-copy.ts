// Scenario 5: the partner guide's flow — `aws s3api copy-object` into the delivery bucket through the access point alias,
// with a role session; wall time as the partner sees it, next to the CLI's own floor and the server's share.
import { randomBytes } from 'node:crypto';
import type { BenchContext, Scenario, ScenarioOutcome } from '../lib/context.js';
import { describe } from '../lib/load.js';
import { expectOk, type Credentials } from '../lib/lean-s3.js';
import { GiB, MiB, sizeLabel, timeMs, withServer } from '../lib/measure.js';
import { FlowUnavailable, setUpPartner, type PartnerSetup } from '../lib/partner-setup.js';
import { runCommand } from '../lib/processes.js';
import { RawConnection, RawPool } from '../lib/raw-http.js';
import { RowBuilder } from '../lib/results.js';
import type { RunningServer } from '../lib/servers.js';

const cliTimeoutMs = 120_000;

function cliEnv(server: RunningServer, credentials: Credentials): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp',
    ...(process.env['PYENV_ROOT'] ? { PYENV_ROOT: process.env['PYENV_ROOT'] } : {}),
    AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
    AWS_DEFAULT_REGION: server.region, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '', AWS_ENDPOINT_URL: server.endpoint,
  };
}

async function aws(ctx: BenchContext, server: RunningServer, credentials: Credentials, args: string[]): Promise<number> {
  let result;
  try {
    result = await runCommand(ctx.registry, 'aws', 'aws', [...args, '--endpoint-url', server.endpoint, '--output', 'json'], { env: cliEnv(server, credentials), timeoutMs: cliTimeoutMs });
  } catch {
    throw new ToolMissing('the aws CLI is not on PATH');
  }
  if (result.code !== 0) throw new Error(`aws ${args.slice(0, 2).join(' ')} exited ${result.code}: ${result.output.trim().split('\n').slice(-2).join(' ')}`);
  return result.elapsedMs;
}

class ToolMissing extends Error {}

/** A source object of `sizeBytes` in the partner's bucket; large ones from UploadPartCopy of one 64 MiB object. */
async function makeSource(setup: PartnerSetup, server: RunningServer, key: string, sizeBytes: number): Promise<void> {
  const lean = setup.partnerLean;
  const pool = new RawPool(server.port, 4);
  await pool.open();
  const conn = pool.connections[0]!;
  try {
    const baseBytes = 64 * MiB;
    if (sizeBytes <= baseBytes) {
      await lean.putLarge(conn, setup.sourceBucket, key, sizeBytes, randomBytes(Math.min(sizeBytes, MiB)), 120_000);
      return;
    }
    await lean.putLarge(conn, setup.sourceBucket, `${key}.base`, baseBytes, randomBytes(MiB), 120_000);
    const uploadId = await lean.createMultipart(conn, setup.sourceBucket, key);
    const parts = Math.ceil(sizeBytes / baseBytes);
    const etags = new Array<string>(parts);
    let next = 0;
    await Promise.all(pool.connections.map(async (c) => {
      for (let part = next++; part < parts; part = next++) etags[part] = await lean.uploadPartCopy(c, setup.sourceBucket, key, uploadId, part + 1, setup.sourceBucket, `${key}.base`);
    }));
    await lean.completeMultipart(conn, setup.sourceBucket, key, uploadId, etags);
  } finally {
    pool.close();
  }
}

export const partnerCopy: Scenario = {
  id: 'partner',
  number: '5',
  title: 'Partner guide flow: aws s3api copy-object through the access point alias',
  async run(ctx): Promise<ScenarioOutcome> {
    const sizes = ctx.options.quick ? [21] : [21, 5 * GiB];
    const copyRows = new Map(sizes.map((b) => [b, new RowBuilder(`copy-object ${b < 1024 ? 'test.txt (21 B, as in the guide)' : sizeLabel(b)} into <alias>/studio/ with the role session`, 'aws-cli', 'ms', false)]));
    const leanRows = new Map(sizes.map((b) => [b, new RowBuilder(`the same CopyObject, server share (one request)`.concat(b < 1024 ? ', 21 B' : `, ${sizeLabel(b)}`), 'lean', 'ms', false)]));
    const floorRow = new RowBuilder('CLI floor: aws s3api head-object of the source (a ~1 ms request)', 'aws-cli', 'ms', false);
    const allRows = () => [...copyRows.values(), floorRow, ...leanRows.values()];
    let pending: string | undefined;
    await withServer(ctx, 's3push', async (server) => {
      let setup: PartnerSetup;
      try {
        setup = await setUpPartner(server, { prefix: 'studio/' });
      } catch (error) {
        if (error instanceof FlowUnavailable) { pending = error.message; return; }
        throw error;
      }
      ctx.log(`  set up: partner ${setup.partnerAccountId}, role ${setup.roleArn}, alias ${setup.alias}`);
      const keys = new Map<number, string>();
      for (const sizeBytes of sizes) {
        const key = sizeBytes < 1024 ? 'test.txt' : `master-${sizeLabel(sizeBytes).replace(' ', '')}.mxf`;
        if (sizeBytes < 1024) {
          const conn = new RawConnection(server.port);
          await setup.partnerLean.putSmall(conn, setup.sourceBucket, key, Buffer.from('s3push test delivery\n'));
          conn.close();
        } else {
          const ms = await timeMs(() => makeSource(setup, server, key, sizeBytes));
          ctx.log(`  built ${sizeLabel(sizeBytes)} source in the partner bucket in ${ms.toFixed(0)} ms`);
        }
        keys.set(sizeBytes, key);
      }
      const runs = ctx.options.runs;
      try {
        const floor: number[] = [];
        for (let run = 0; run < runs && !ctx.signal.aborted; run++) {
          floor.push(await aws(ctx, server, setup.session, ['s3api', 'head-object', '--bucket', setup.sourceBucket, '--key', 'test.txt']));
        }
        floorRow.ok('s3push', floor);
        for (const sizeBytes of sizes) {
          const key = keys.get(sizeBytes)!;
          const samples: number[] = [];
          for (let run = 0; run < runs && !ctx.signal.aborted; run++) {
            samples.push(await aws(ctx, server, setup.session, ['s3api', 'copy-object', '--bucket', setup.alias, '--key', `studio/${run}-${key}`, '--copy-source', `${setup.sourceBucket}/${key}`]));
          }
          copyRows.get(sizeBytes)!.ok('s3push', samples);
          ctx.log(`  aws s3api copy-object ${sizeLabel(sizeBytes)}: ${samples.map((s) => s.toFixed(0)).join(', ')} ms (CLI floor ${floor.map((s) => s.toFixed(0)).join(', ')} ms)`);
        }
      } catch (error) {
        const status = error instanceof ToolMissing ? 'missing' : 'error';
        for (const row of [...copyRows.values(), floorRow]) if (row.row.cells.length === 0) row.not('s3push', status, describe(error));
      }
      const conn = new RawConnection(server.port);
      try {
        for (const sizeBytes of sizes) {
          const key = keys.get(sizeBytes)!;
          const samples: number[] = [];
          for (let run = 0; run < runs + 1 && !ctx.signal.aborted; run++) {
            const ms = await timeMs(async () => {
              const head = setup.sessionLean.copyHead(setup.alias, `studio/lean-${run}-${key}`, setup.sourceBucket, key);
              expectOk(await conn.request({ head, keepBodyBytes: 64 * 1024 }), 'CopyObject through the alias');
            });
            if (run > 0) samples.push(ms);
          }
          leanRows.get(sizeBytes)!.ok('s3push', samples);
        }
      } catch (error) {
        for (const row of leanRows.values()) if (row.row.cells.length === 0) row.not('s3push', 'error', describe(error));
      } finally {
        conn.close();
      }
    }, (status, reason) => { for (const row of allRows()) row.not('s3push', status, reason); });
    if (pending) {
      return { status: 'pending', reason: `the flow's pieces are not all there: ${pending}`, rows: [], notes: [] };
    }
    if (ctx.options.peersEverywhere) {
      for (const row of copyRows.values()) {
        if (ctx.options.peers.includes('moto')) row.not('moto', 'cannot', 'moto\'s S3 layer does not resolve access point aliases (alias as Bucket → NoSuchBucket) and does not evaluate access point or bucket policies (s3-servers.md §4)');
        if (ctx.options.peers.includes('s3rver')) row.not('s3rver', 'cannot', 's3rver has no IAM, STS, S3 Control or access points (one hard-coded account)');
      }
    }
    return {
      rows: allRows().map((r) => r.row).filter((r) => r.cells.length > 0),
      notes: [
        'Set-up through public APIs only: admin API account, IAM CreateRole/PutRolePolicy, S3 Control CreateAccessPoint/PutAccessPointPolicy, PutBucketPolicy delegating to access points, STS AssumeRole — then the CLI runs with the session credentials in its environment.',
        'aws-cli rows are the wall time of one `aws` process (Python start-up included), as the partner sees it; the floor row is the same CLI doing a trivial request, so copy-object minus floor ≈ the copy itself.',
        'lean rows time the same CopyObject request through the alias with the same session (the server\'s share, median after one warm-up).',
        ...(ctx.options.quick ? ['--quick copies the guide\'s test.txt only; the full run adds a 5 GiB master.'] : []),
      ],
    };
  },
};
