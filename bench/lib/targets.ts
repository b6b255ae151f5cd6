// The targets, evaluated against this run's own measurements (ratios to this machine's limits where the issue says so).
import { largeRows } from '../scenarios/large-objects.js';
import { limitRows, machineServer } from '../scenarios/machine-limits.js';
import { listRow } from '../scenarios/list-objects.js';
import { copyRows } from '../scenarios/server-copy.js';
import { smallRow } from '../scenarios/small-objects.js';
import { ingestRows } from '../scenarios/ingest-latency.js';
import type { BenchOptions } from './options.js';
import { GiB, KiB, MiB, formatNumber, sizeLabel } from './measure.js';
import { medianOf, type Cell, type ScenarioResult } from './results.js';

/** Workloads the profiler can repeat on a profiled s3push (see profile-workloads.ts). */
export const profileWorkloadNames = ['put-large', 'put-large-chunked', 'get-large', 'put-small', 'get-small', 'list', 'copy-large'] as const;
export type ProfileWorkload = (typeof profileWorkloadNames)[number];

export interface TargetCheck {
  name: string;
  /** How the threshold is derived, in words. */
  rule: string;
  threshold?: number;
  measured?: number;
  unit: string;
  higherIsBetter: boolean;
  status: 'met' | 'missed' | 'not measured';
  /** measured / threshold (or threshold / measured for times and memory): 1 = exactly on target. */
  ratio?: number;
  context?: string;
  profile?: ProfileWorkload;
}

function find(results: ReadonlyMap<string, ScenarioResult>, scenario: string, match: (workload: string) => boolean, client: string, server: string): Cell | undefined {
  const row = results.get(scenario)?.rows.find((r) => match(r.workload) && r.client === client);
  return row?.cells.find((c) => c.server === server);
}

const starts = (prefix: string) => (workload: string) => workload.startsWith(prefix);

export function evaluateTargets(results: ReadonlyMap<string, ScenarioResult>, options: BenchOptions): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const largeSize = sizeLabel(options.largeMiB * MiB);
  const smallBytes = options.smallKiB * KiB;
  const md5 = medianOf(find(results, 'limits', starts(limitRows.md5), '-', machineServer));
  const diskWrite = medianOf(find(results, 'limits', starts(limitRows.diskWrite), '-', machineServer));
  const loopbackGet = medianOf(find(results, 'limits', starts(limitRows.loopbackGet), 'lean', machineServer));

  const add = (check: Omit<TargetCheck, 'status' | 'ratio'>) => {
    let status: TargetCheck['status'] = 'not measured';
    let ratio: number | undefined;
    if (check.threshold !== undefined && check.measured !== undefined && Number.isFinite(check.measured)) {
      ratio = check.higherIsBetter ? check.measured / check.threshold : check.threshold / check.measured;
      status = ratio >= 1 ? 'met' : 'missed';
    }
    checks.push({ ...check, status, ...(ratio !== undefined ? { ratio } : {}) });
  };

  const putFloor = md5 !== undefined && diskWrite !== undefined ? 0.8 * Math.min(md5, diskWrite) : undefined;
  const putContext = `MD5 ${formatNumber(md5 ?? NaN)} MB/s, disk write+fdatasync ${formatNumber(diskWrite ?? NaN)} MB/s`;
  add({
    name: `${largeSize} PUT, buffer body (lean, 1 stream)`, rule: '≥ 80% of min(MD5 one core, disk write)', unit: 'MB/s', higherIsBetter: true,
    ...(putFloor !== undefined ? { threshold: putFloor } : {}), ...optional(medianOf(find(results, 'large', (w) => w === largeRows.putBuffer(largeSize), 'lean', 's3push'))),
    context: putContext, profile: 'put-large',
  });
  add({
    name: `${largeSize} PUT, aws-chunked + CRC32 trailer (lean, 1 stream)`, rule: '≥ 80% of min(MD5 one core, disk write)', unit: 'MB/s', higherIsBetter: true,
    ...(putFloor !== undefined ? { threshold: putFloor } : {}), ...optional(medianOf(find(results, 'large', (w) => w === largeRows.putChunked(largeSize), 'lean', 's3push'))),
    context: putContext, profile: 'put-large-chunked',
  });
  add({
    name: `${largeSize} GET (lean, 1 stream)`, rule: '≥ 80% of loopback single-stream GET', unit: 'MB/s', higherIsBetter: true,
    ...(loopbackGet !== undefined ? { threshold: 0.8 * loopbackGet } : {}), ...optional(medianOf(find(results, 'large', (w) => w === largeRows.get(largeSize), 'lean', 's3push'))),
    context: `loopback GET ${formatNumber(loopbackGet ?? NaN)} MB/s`, profile: 'get-large',
  });
  add({
    name: 'CopyObject 5 GiB', rule: '< 20 ms', unit: 'ms', higherIsBetter: false, threshold: 20,
    ...optional(medianOf(find(results, 'copy', (w) => w === copyRows.copy(sizeLabel(5 * GiB)), 'lean', 's3push'))), profile: 'copy-large',
  });
  for (const [op, threshold, ceiling] of [['PUT', 2_500, 5_800], ['GET', 5_000, 9_900]] as const) {
    const nullCeiling = medianOf(find(results, 'small', (w) => w === smallRow(op, smallBytes, 64), 'lean', 'null'));
    add({
      name: `${op} ${sizeLabel(smallBytes)}, lean client, 64 in flight`, rule: `≥ ${threshold.toLocaleString('en-US')}/s`, unit: 'ops/s', higherIsBetter: true, threshold,
      ...optional(medianOf(find(results, 'small', (w) => w === smallRow(op, smallBytes, 64), 'lean', 's3push'))),
      context: `do-nothing ceiling here: ${formatNumber(nullCeiling ?? NaN)}/s (issue: ≈ ${ceiling.toLocaleString('en-US')})`,
      profile: op === 'PUT' ? 'put-small' : 'get-small',
    });
  }
  const list = find(results, 'list', (w) => w === listRow, 'lean', 's3push');
  add({
    name: 'ListObjectsV2 (lean)', rule: '≥ 50,000 keys/s', unit: 'keys/s', higherIsBetter: true, threshold: 50_000, ...optional(medianOf(list)),
    ...(list?.extra?.['keys'] !== undefined ? { context: `${Number(list.extra['keys']).toLocaleString('en-US')} keys` } : {}), profile: 'list',
  });
  add({
    name: `server RSS during 4 parallel ${largeSize} PUTs`, rule: '≤ 256 MiB', unit: 'MiB', higherIsBetter: false, threshold: 256,
    ...optional(maxOf(find(results, 'large', (w) => w === largeRows.rssParallelPut(largeSize), 'lean', 's3push'))),
    context: 'the highest sample over the runs (a peak, not a median)',
  });
  add({
    name: 'ingest latency p99 at 100 deliveries/s', rule: '≤ 250 ms (PUT acknowledged → Accepted)', unit: 'ms', higherIsBetter: false, threshold: 250,
    ...optional(medianOf(find(results, 'ingest', (w) => w.startsWith(ingestRows.p99), 'lean', 's3push'))),
  });
  return checks;
}

function maxOf(cell: Cell | undefined): number | undefined {
  return cell?.status === 'ok' && cell.samples.length > 0 ? Math.max(...cell.samples) : undefined;
}

function optional(measured: number | undefined): { measured?: number } {
  return measured === undefined ? {} : { measured };
}
