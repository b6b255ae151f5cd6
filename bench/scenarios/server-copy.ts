// Scenario 4: server-side copy — CopyObject latency versus size (1 MiB, 1 GiB, 5 GiB) and UploadPartCopy of a 10 GiB object in parts.
//
// Big sources are built cheaply where the server allows it: one part of --copy-base-mib uploaded,
// then UploadPartCopy of that whole object N times (s3push references the bytes instead of copying).
import { randomBytes } from 'node:crypto';
import type { BenchContext, Scenario, ScenarioOutcome } from '../lib/context.js';
import { describe } from '../lib/load.js';
import { GiB, MiB, peerSkipReason, serversFor, sizeLabel, timeMs, withServer } from '../lib/measure.js';
import { RssSampler } from '../lib/processes.js';
import { RawConnection, RawPool } from '../lib/raw-http.js';
import { RowBuilder } from '../lib/results.js';
import { S3RequestError, expectOk } from '../lib/lean-s3.js';
import { createBucket, type RunningServer } from '../lib/servers.js';
import { summarize } from '../lib/stats.js';

const bucket = 'bench-copy';
const partsInFlight = 8;
/** Peers must upload every byte of a source (no reference copies); beyond this they are bounded out. */
const peerSourceBytesMax = GiB;

export const copyRows = {
  copy: (size: string) => `CopyObject ${size}`,
  uploadPartCopy: (size: string, part: string) => `UploadPartCopy ${size} in ${part} parts + Complete (wall)`,
  build: (size: string, part: string) => `build a ${size} source: UploadPartCopy of one ${part} object, repeated + Complete`,
};

/** Builds `sizeBytes` at `key` from whole-object copies of `baseKey`; answers the wall time (ms). */
async function buildByPartCopies(server: RunningServer, pool: RawPool, key: string, baseKey: string, baseBytes: number, sizeBytes: number): Promise<number> {
  const lean = server.lean;
  const conns = pool.connections;
  return timeMs(async () => {
    const uploadId = await lean.createMultipart(conns[0]!, bucket, key);
    const parts = Math.ceil(sizeBytes / baseBytes);
    const etags: string[] = new Array<string>(parts);
    let next = 0;
    await Promise.all(conns.map(async (conn) => {
      for (let part = next++; part < parts; part = next++) {
        const last = part === parts - 1 && sizeBytes % baseBytes !== 0 ? { first: 0, last: (sizeBytes % baseBytes) - 1 } : undefined;
        etags[part] = await lean.uploadPartCopy(conn, bucket, key, uploadId, part + 1, bucket, baseKey, last);
      }
    }));
    await lean.completeMultipart(conns[0]!, bucket, key, uploadId, etags);
  });
}

async function copyOnce(server: RunningServer, conn: RawConnection, source: string, target: string, timeoutMs: number): Promise<number> {
  return timeMs(async () => {
    const response = expectOk(await conn.request({ head: server.lean.copyHead(bucket, target, bucket, source), keepBodyBytes: 64 * 1024, timeoutMs }), `CopyObject ${source}`);
    if (/<Error>/.test(response.body?.toString('utf8') ?? '')) throw new Error(`CopyObject ${source}: 200 with an <Error> body`);
  });
}

interface CopyRows {
  copy: Map<number, RowBuilder>;
  build: Map<number, RowBuilder>;
  upc: RowBuilder;
  rss: RowBuilder;
}

async function measureServer(ctx: BenchContext, server: RunningServer, rows: CopyRows): Promise<void> {
  const { runs, copySizesMiB, copyBaseMiB, copyPartMiB, uploadPartCopyGiB } = ctx.options;
  const baseBytes = copyBaseMiB * MiB;
  const source = randomBytes(MiB);
  const base = sizeLabel(baseBytes);
  const pool = new RawPool(server.port, partsInFlight);
  await pool.open();
  const conn = pool.connections[0]!;
  const rss = new RssSampler(server.pid).start();
  const isS3push = server.name === 's3push';
  const timeoutMs = 30 * 60_000;
  try {
    await createBucket(server, bucket);
    // UploadPartCopy support decides how sources are built.
    let partCopy: 'yes' | string = 'yes';
    if (!isS3push) {
      await server.lean.putSmall(conn, bucket, 'probe', randomBytes(1024));
      try {
        const uploadId = await server.lean.createMultipart(conn, bucket, 'probe-mpu');
        await server.lean.uploadPartCopy(conn, bucket, 'probe-mpu', uploadId, 1, bucket, 'probe');
      } catch (error) {
        partCopy = error instanceof S3RequestError ? `UploadPartCopy answers ${error.status} ${error.code}` : describe(error);
      }
    }
    if (isS3push) await server.lean.putLarge(conn, bucket, 'base', baseBytes, source, timeoutMs);

    const sizes = [...copySizesMiB.map((m) => m * MiB)];
    const upcBytes = uploadPartCopyGiB * GiB;
    for (const sizeBytes of sizes) {
      const size = sizeLabel(sizeBytes);
      const copyRow = rows.copy.get(sizeBytes)!;
      const key = `src-${size.replace(' ', '')}`;
      try {
        if (ctx.signal.aborted) break;
        if (sizeBytes < baseBytes || !isS3push) {
          if (sizeBytes > peerSourceBytesMax) {
            const why = partCopy === 'yes'
              ? `every source byte must be uploaded and then copied byte by byte, and ${server.name} holds objects in memory; bounded to ${sizeLabel(peerSourceBytesMax)} (the smaller rows show how copy time grows with size)`
              : `a ${size} source needs a ${size} upload (${partCopy}); bounded to ${sizeLabel(peerSourceBytesMax)} (the smaller rows show how copy time grows with size)`;
            copyRow.not(server.name, 'not run', why);
            continue;
          }
          await server.lean.putLarge(conn, bucket, key, sizeBytes, source, timeoutMs);
        } else {
          const buildMs = await buildByPartCopies(server, pool, key, 'base', baseBytes, sizeBytes);
          rows.build.get(sizeBytes)?.ok(server.name, [buildMs]);
          ctx.log(`  ${server.name}: built ${size} from ${Math.ceil(sizeBytes / baseBytes)} × ${base} part copies in ${buildMs.toFixed(0)} ms`);
        }
        const samples: number[] = [];
        for (let run = 0; run < runs && !ctx.signal.aborted; run++) {
          samples.push(await copyOnce(server, conn, key, `copy-${size.replace(' ', '')}-${run}`, timeoutMs));
          await server.lean.delete(conn, bucket, `copy-${size.replace(' ', '')}-${run}`);
        }
        copyRow.ok(server.name, samples);
        ctx.log(`  ${server.name} CopyObject ${size}: ${samples.map((s) => s.toFixed(1)).join(', ')} ms`);
        await server.lean.delete(conn, bucket, key);
      } catch (error) {
        copyRow.not(server.name, 'error', describe(error));
        ctx.log(`  ${server.name} CopyObject ${size}: error ${describe(error)}`);
      }
    }

    // UploadPartCopy of a big object in ranged parts, all parts in flight (bounded), then Complete.
    const partBytes = copyPartMiB * MiB;
    if (!isS3push) {
      rows.upc.not(server.name, partCopy === 'yes' ? 'not run' : 'cannot', partCopy === 'yes'
        ? `a ${sizeLabel(upcBytes)} source needs ${sizeLabel(upcBytes)} uploaded, and ${server.name} joins multipart parts in memory (moto FakeMultipart.complete builds one bytearray); not run on a shared machine`
        : partCopy);
    } else if (!ctx.signal.aborted) {
      try {
        const key = `src-${sizeLabel(upcBytes).replace(' ', '')}`;
        const buildMs = await buildByPartCopies(server, pool, key, 'base', baseBytes, upcBytes);
        rows.build.get(upcBytes)?.ok(server.name, [buildMs]);
        ctx.log(`  ${server.name}: built ${sizeLabel(upcBytes)} from ${Math.ceil(upcBytes / baseBytes)} × ${base} part copies in ${buildMs.toFixed(0)} ms`);
        const samples: number[] = [];
        const partMs: number[] = [];
        for (let run = 0; run < runs && !ctx.signal.aborted; run++) {
          const target = `upc-${run}`;
          samples.push(await timeMs(async () => {
            const uploadId = await server.lean.createMultipart(conn, bucket, target);
            const parts = Math.ceil(upcBytes / partBytes);
            const etags = new Array<string>(parts);
            let next = 0;
            await Promise.all(pool.connections.map(async (c) => {
              for (let part = next++; part < parts; part = next++) {
                const first = part * partBytes;
                const last = Math.min(upcBytes, first + partBytes) - 1;
                const started = performance.now();
                etags[part] = await server.lean.uploadPartCopy(c, bucket, target, uploadId, part + 1, bucket, key, { first, last }, timeoutMs);
                partMs.push(performance.now() - started);
              }
            }));
            await server.lean.completeMultipart(conn, bucket, target, uploadId, etags, timeoutMs);
          }));
          await server.lean.delete(conn, bucket, target);
        }
        rows.upc.ok(server.name, samples, { extra: { parts: Math.ceil(upcBytes / partBytes), partsInFlight, partP50Ms: Number(summarize(partMs).median.toFixed(2)), partMaxMs: Number(summarize(partMs).max.toFixed(2)) } });
        ctx.log(`  ${server.name} UploadPartCopy ${sizeLabel(upcBytes)}: ${samples.map((s) => s.toFixed(0)).join(', ')} ms`);
      } catch (error) {
        rows.upc.not(server.name, 'error', describe(error));
        ctx.log(`  ${server.name} UploadPartCopy: error ${describe(error)}`);
      }
    }
  } finally {
    pool.close();
    rows.rss.ok(server.name, [rss.stop() / MiB]);
  }
}

export const serverCopy: Scenario = {
  id: 'copy',
  number: '4',
  title: 'Server-side copy: latency versus size',
  async run(ctx): Promise<ScenarioOutcome> {
    const { copySizesMiB, uploadPartCopyGiB, copyBaseMiB, copyPartMiB } = ctx.options;
    const upcBytes = uploadPartCopyGiB * GiB;
    const rows: CopyRows = {
      copy: new Map(copySizesMiB.map((m) => [m * MiB, new RowBuilder(copyRows.copy(sizeLabel(m * MiB)), 'lean', 'ms', false)])),
      build: new Map([...copySizesMiB.map((m) => m * MiB).filter((b) => b >= copyBaseMiB * MiB), upcBytes].map((b) => [b, new RowBuilder(copyRows.build(sizeLabel(b), sizeLabel(copyBaseMiB * MiB)), 'lean', 'ms', false)])),
      upc: new RowBuilder(copyRows.uploadPartCopy(sizeLabel(upcBytes), sizeLabel(copyPartMiB * MiB)), 'lean', 'ms', false),
      rss: new RowBuilder('server peak RSS over the scenario', '-', 'MiB', false),
    };
    const peersHere = ctx.options.peersEverywhere;
    for (const name of serversFor(ctx, peersHere)) {
      if (ctx.signal.aborted) break;
      ctx.log(` ${name}`);
      await withServer(ctx, name, (server) => measureServer(ctx, server, rows), (status, reason) => {
        for (const row of [...rows.copy.values(), rows.upc]) row.not(name, status, reason);
      });
    }
    const skip = peerSkipReason(ctx, peersHere);
    return {
      rows: [...rows.copy.values(), rows.upc, ...rows.build.values(), rows.rss].map((r) => r.row).filter((r) => r.cells.length > 0),
      notes: [
        'Each CopyObject goes to a new key (deleted afterwards); the figure is the request\'s wall time on one keep-alive connection.',
        `s3push sources of ${sizeLabel(copyBaseMiB * MiB)} and more are built from one uploaded ${sizeLabel(copyBaseMiB * MiB)} object by UploadPartCopy of the whole object, ${partsInFlight} parts in flight; the "build" rows time that.`,
        `UploadPartCopy: ranged parts of ${sizeLabel(copyPartMiB * MiB)} (--copy-part-mib), ${partsInFlight} in flight, then CompleteMultipartUpload.`,
        'Peers get their sources by a plain PUT of every byte.',
        ...(skip ? [`moto and s3rver: ${skip}.`] : []),
      ],
    };
  },
};
