// Scenario 3b: ListObjectsV2 over a bucket of many keys (100,000 by default), paged by 1,000 — keys/s, lean and SDK.
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { BenchContext, Scenario, ScenarioOutcome } from '../lib/context.js';
import { describe, runLoad } from '../lib/load.js';
import { errorCodeOf } from '../lib/lean-s3.js';
import { peerSkipReason, serversFor, timeMs, withServer } from '../lib/measure.js';
import { RawConnection, RawPool } from '../lib/raw-http.js';
import { RowBuilder } from '../lib/results.js';
import { sdkClient } from '../lib/sdk.js';
import { createBucket, type RunningServer } from '../lib/servers.js';

const bucket = 'bench-list';
const prefix = 'list/';
const pageKeys = 1000;
export const listRow = 'ListObjectsV2, 1,000 keys a page, whole bucket';

function listKey(i: number): string {
  return `${prefix}k${String(i).padStart(7, '0')}`;
}

async function fill(ctx: BenchContext, server: RunningServer): Promise<number> {
  const pool = new RawPool(server.port, 32);
  await pool.open();
  const empty = Buffer.alloc(0);
  try {
    const fillS = server.name === 's3push' ? ctx.options.listFillS : ctx.options.peerListFillS;
    const result = await runLoad({ concurrency: 32, durationMs: fillS * 1000, opsMax: ctx.options.listKeys, signal: ctx.signal, errorsMax: 100 }, async (worker, index) => {
      const response = await pool.connections[worker]!.request({ head: server.lean.putHead(bucket, listKey(index), 0), body: empty });
      if (response.status !== 200) throw new Error(`PUT ${response.status} ${errorCodeOf(response)}`);
    });
    ctx.log(`  ${server.name}: ${result.ops} keys written in ${(result.elapsedMs / 1000).toFixed(1)} s (${result.opsPerSecond.toFixed(0)}/s, 32 in flight, 0-byte bodies)${result.errors ? `, ${result.errors} errors: ${result.firstError}` : ''}`);
    if (result.ops === 0) throw new Error(`no key could be written: ${result.firstError}`);
    return result.ops;
  } finally {
    pool.close();
  }
}

async function measureServer(ctx: BenchContext, server: RunningServer, lean: RowBuilder, sdk: RowBuilder): Promise<void> {
  await createBucket(server, bucket);
  const written = await fill(ctx, server);
  const fillS = server.name === 's3push' ? ctx.options.listFillS : ctx.options.peerListFillS;
  const extra = { keys: written, ...(written < ctx.options.listKeys ? { note: `fill stopped at the ${fillS} s bound` } : {}) };
  const conn = new RawConnection(server.port);
  const leanSamples: number[] = [];
  try {
    for (let run = 0; run < ctx.options.runs + 1 && !ctx.signal.aborted; run++) {
      let keys = 0;
      const ms = await timeMs(async () => {
        let token: string | undefined;
        do {
          const page = await server.lean.listPage(conn, bucket, prefix, pageKeys, token);
          keys += page.keyCount;
          token = page.next;
        } while (token !== undefined);
      });
      if (keys !== written) throw new Error(`listed ${keys} keys, expected ${written}`);
      if (run > 0) leanSamples.push(keys / (ms / 1000)); // run 0 warms caches
    }
    lean.ok(server.name, leanSamples, { extra });
    ctx.log(`  ${server.name} lean: ${leanSamples.map((s) => s.toFixed(0)).join(', ')} keys/s`);
  } catch (error) {
    lean.not(server.name, 'error', describe(error), extra);
    ctx.log(`  ${server.name} lean: error ${describe(error)}`);
  } finally {
    conn.close();
  }
  if (!ctx.options.sdk) return;
  const client = sdkClient(server, 1);
  const sdkSamples: number[] = [];
  try {
    for (let run = 0; run < ctx.options.runs && !ctx.signal.aborted; run++) {
      let keys = 0;
      const ms = await timeMs(async () => {
        let token: string | undefined;
        do {
          const page = await client.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: pageKeys, ...(token ? { ContinuationToken: token } : {}) }));
          keys += page.KeyCount ?? page.Contents?.length ?? 0;
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token !== undefined);
      });
      if (keys !== written) throw new Error(`listed ${keys} keys, expected ${written}`);
      sdkSamples.push(keys / (ms / 1000));
    }
    sdk.ok(server.name, sdkSamples, { extra });
    ctx.log(`  ${server.name} sdk: ${sdkSamples.map((s) => s.toFixed(0)).join(', ')} keys/s`);
  } catch (error) {
    sdk.not(server.name, 'error', describe(error), extra);
  } finally {
    client.destroy();
  }
}

export const listObjects: Scenario = {
  id: 'list',
  number: '3b',
  title: 'ListObjectsV2 over many keys',
  async run(ctx): Promise<ScenarioOutcome> {
    const lean = new RowBuilder(listRow, 'lean', 'keys/s');
    const sdk = new RowBuilder(listRow, 'sdk', 'keys/s');
    const peersHere = ctx.options.peersEverywhere;
    for (const name of serversFor(ctx, peersHere)) {
      if (ctx.signal.aborted) break;
      ctx.log(` ${name}`);
      await withServer(ctx, name, (server) => measureServer(ctx, server, lean, sdk), (status, reason) => {
        lean.not(name, status, reason);
        if (ctx.options.sdk) sdk.not(name, status, reason);
      });
    }
    const skip = peerSkipReason(ctx, peersHere);
    return {
      rows: ctx.options.sdk ? [lean.row, sdk.row] : [lean.row],
      notes: [
        `The bucket holds ${ctx.options.listKeys.toLocaleString('en-US')} 0-byte keys under one prefix (fewer if a server could not write them within ${ctx.options.listFillS} s, peers ${ctx.options.peerListFillS} s: the cell says how many). One client pages through all of them in order (continuation tokens), as a sync tool does.`,
        'lean parses only <Key> and <NextContinuationToken>; sdk is ListObjectsV2Command with the SDK\'s full XML deserialisation (what users see).',
        ...(skip ? [`moto and s3rver: ${skip}.`] : []),
      ],
    };
  },
};
