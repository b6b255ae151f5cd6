// Closed-loop load: N workers each keep one request in flight, bounded by operation count and by time.
import { readCpuMs } from './processes.js';
import { latencyPercentiles } from './stats.js';

export interface LoadOptions {
  concurrency: number;
  durationMs: number;
  /** Hard bound on operations (the latency array is this long). */
  opsMax: number;
  /** Untimed operations for this long before the clock starts (connections and JIT warm); bounded by time, not count, so a slow server does not stretch it. */
  warmupMs?: number;
  /** Stop early when this many errors happened (a broken peer should not spin for the whole duration). */
  errorsMax?: number;
  signal?: AbortSignal;
  /** Measure this process's CPU time over the timed part (the server's cost per operation). */
  serverPid?: number;
}

export interface LoadResult {
  ops: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU (user + system, all threads) per operation over the timed part: server (when serverPid was given) and this process. */
  serverCpuUsPerOp?: number;
  clientCpuUsPerOp: number;
}

/** The runs of one table cell: rates, latencies and CPU per operation of each run that completed something. */
export interface LoadSamples {
  rates: number[];
  p50: number[];
  p99: number[];
  serverCpu: number[];
  clientCpu: number[];
  errors: number;
  firstError?: string;
}

/** Adds one run's result to the cell `id` of `samples`. */
export function recordLoad(samples: Map<string, LoadSamples>, id: string, result: LoadResult): void {
  let entry = samples.get(id);
  if (!entry) samples.set(id, entry = { rates: [], p50: [], p99: [], serverCpu: [], clientCpu: [], errors: 0 });
  if (result.ops > 0) {
    entry.rates.push(result.opsPerSecond);
    entry.p50.push(result.p50Ms);
    entry.p99.push(result.p99Ms);
    if (result.serverCpuUsPerOp !== undefined) entry.serverCpu.push(result.serverCpuUsPerOp);
    entry.clientCpu.push(result.clientCpuUsPerOp);
  }
  entry.errors += result.errors;
  if (result.firstError) entry.firstError ??= result.firstError;
}

/** `op(worker, index)` performs one operation; it throws on failure. */
export async function runLoad(options: LoadOptions, op: (worker: number, index: number) => Promise<void>): Promise<LoadResult> {
  const { concurrency, durationMs, opsMax } = options;
  const errorsMax = options.errorsMax ?? Math.max(50, concurrency * 4);
  let firstError: string | undefined;
  let errors = 0;

  const warmupMs = options.warmupMs ?? 0;
  if (warmupMs > 0) {
    const warmupEnd = performance.now() + warmupMs;
    let warmupIndex = 0;
    await Promise.all(Array.from({ length: concurrency }, async (_, worker) => {
      // At least one request per worker, so every connection is in use before timing starts.
      do {
        try { await op(worker, -1 - warmupIndex++); } catch (error) { errors++; firstError ??= describe(error); if (errors >= errorsMax) return; }
      } while (performance.now() < warmupEnd && !options.signal?.aborted);
    }));
    if (errors >= errorsMax) {
      return { ops: 0, errors, firstError: firstError ?? 'unknown', elapsedMs: 0, opsPerSecond: 0, p50Ms: NaN, p99Ms: NaN, clientCpuUsPerOp: NaN };
    }
    errors = 0;
  }

  const latencies = new Float64Array(opsMax);
  let next = 0;
  let done = 0;
  const serverCpuStart = options.serverPid !== undefined ? readCpuMs(options.serverPid) : undefined;
  const clientCpuStart = process.cpuUsage();
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(Array.from({ length: concurrency }, async (_, worker) => {
    while (performance.now() < deadline && errors < errorsMax && !options.signal?.aborted) {
      const index = next++;
      if (index >= opsMax) return;
      const t0 = performance.now();
      try {
        await op(worker, index);
        latencies[done++] = performance.now() - t0;
      } catch (error) {
        errors++;
        firstError ??= describe(error);
      }
    }
  }));
  const elapsedMs = performance.now() - started;
  const clientCpu = process.cpuUsage(clientCpuStart);
  const serverCpuEnd = options.serverPid !== undefined ? readCpuMs(options.serverPid) : undefined;
  const { p50Ms, p99Ms } = latencyPercentiles(latencies, done);
  return {
    ops: done, errors, ...(firstError !== undefined ? { firstError } : {}), elapsedMs, opsPerSecond: done / (elapsedMs / 1000), p50Ms, p99Ms,
    ...(serverCpuStart !== undefined && serverCpuEnd !== undefined && done > 0 ? { serverCpuUsPerOp: ((serverCpuEnd - serverCpuStart) * 1000) / done } : {}),
    clientCpuUsPerOp: done > 0 ? (clientCpu.user + clientCpu.system) / done : NaN,
  };
}

export function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown; Code?: unknown }).code ?? (error as { Code?: unknown }).Code;
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const head = `${error.name !== 'Error' ? error.name + ': ' : ''}${error.message}`.split('\n')[0]!.slice(0, 200);
    return [status ? `HTTP ${status}` : '', typeof code === 'string' ? code : '', head].filter(Boolean).join(' ');
  }
  return String(error).slice(0, 200);
}
