// Scenario 3b: ListObjectsV2 over a bucket of many keys (100,000 by default), paged by 1,000 — keys/s, lean and SDK.
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { BenchContext, Scenario, ScenarioOutcome } from '../lib/context.js';
import { describe, runLoad } from '../lib/load.js';
import { errorCodeOf } from '../lib/lean-s3.js';
import { peerSkipReason, serversFor, withServer } from '../lib/measure.js';
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

/** One listing ends after this long (a slow peer); its rate is then keys listed so far over the time. */
const listingMsMax = 60_000;
/** Repeated listings of one client stop once they have taken this long together. */
const listingsMsMax = 150_000;

interface Listing { keys: number; ms: number; complete: boolean }

/** Lists the whole prefix (bounded by listingMsMax) with `page`, which answers a page's key count and next token. */
async function listAll(page: (token: string | undefined) => Promise<{ keyCount: number; next?: string }>): Promise<Listing> {
  const started = performance.now();
  let keys = 0;
  let token: string | undefined;
  do {
    const answer = await page(token);
    keys += answer.keyCount;
    token = answer.next;
  } while (token !== undefined && performance.now() - started < listingMsMax);
  return { keys, ms: performance.now() - started, complete: token === undefined };
}

/** Runs listings: a warm-up when a listing is quick, then up to `runs`, bounded in total time. */
async function listingRates(ctx: BenchContext, written: number, listOnce: () => Promise<Listing>): Promise<{ rates: number[]; partial: boolean }> {
  const rates: number[] = [];
  let partial = false;
  let spentMs = 0;
  for (let run = 0; rates.length < ctx.options.runs && !ctx.signal.aborted; run++) {
    const listing = await listOnce();
    spentMs += listing.ms;
    if (listing.complete && listing.keys !== written) throw new Error(`listed ${listing.keys} keys, expected ${written}`);
    partial ||= !listing.complete;
    // The first listing warms caches; it counts only when listings are too slow to repeat freely.
    if (run > 0 || listing.ms > 5_000) rates.push(listing.keys / (listing.ms / 1000));
    if (spentMs + listing.ms > listingsMsMax && rates.length > 0) break;
  }
  return { rates, partial };
}

async function measureServer(ctx: BenchContext, server: RunningServer, lean: RowBuilder, sdk: RowBuilder): Promise<void> {
  await createBucket(server, bucket);
  const written = await fill(ctx, server);
  const fillS = server.name === 's3push' ? ctx.options.listFillS : ctx.options.peerListFillS;
  const extra = (partial: boolean) => ({
    keys: written,
    ...(written < ctx.options.listKeys ? { note: `fill stopped at the ${fillS} s bound` } : {}),
    ...(partial ? { partial: `listings stopped after ${listingMsMax / 1000} s; rate over the keys listed by then` } : {}),
  });
  const conn = new RawConnection(server.port);
  try {
    const { rates, partial } = await listingRates(ctx, written, () => listAll((token) => server.lean.listPage(conn, bucket, prefix, pageKeys, token)));
    lean.ok(server.name, rates, { extra: extra(partial) });
    ctx.log(`  ${server.name} lean: ${rates.map((r) => r.toFixed(0)).join(', ')} keys/s${partial ? ' (partial listings)' : ''}`);
  } catch (error) {
    lean.not(server.name, 'error', describe(error), extra(false));
    ctx.log(`  ${server.name} lean: error ${describe(error)}`);
  } finally {
    conn.close();
  }
  if (!ctx.options.sdk) return;
  const client = sdkClient(server, 1);
  try {
    const { rates, partial } = await listingRates(ctx, written, () => listAll(async (token) => {
      const page = await client.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: pageKeys, ...(token ? { ContinuationToken: token } : {}) }));
      return { keyCount: page.KeyCount ?? page.Contents?.length ?? 0, ...(page.IsTruncated && page.NextContinuationToken ? { next: page.NextContinuationToken } : {}) };
    }));
    sdk.ok(server.name, rates, { extra: extra(partial) });
    ctx.log(`  ${server.name} sdk: ${rates.map((r) => r.toFixed(0)).join(', ')} keys/s${partial ? ' (partial listings)' : ''}`);
  } catch (error) {
    sdk.not(server.name, 'error', describe(error), extra(false));
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
        `Bounds: one listing stops after ${listingMsMax / 1000} s (the cell then says "partial" and the rate counts the keys listed by then); a client's repeated listings stop after ${listingsMsMax / 1000} s together. A first quick listing is an untimed warm-up.`,
        ...(skip ? [`moto and s3rver: ${skip}.`] : []),
      ],
    };
  },
};
