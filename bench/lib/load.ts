// Closed-loop load: N workers each keep one request in flight, bounded by operation count and by time.
import { latencyPercentiles } from './stats.js';

export interface LoadOptions {
  concurrency: number;
  durationMs: number;
  /** Hard bound on operations (the latency array is this long). */
  opsMax: number;
  /** Untimed operations per worker before the clock starts (connections warm, JIT warm). */
  warmupOpsPerWorker?: number;
  /** Stop early when this many errors happened (a broken peer should not spin for the whole duration). */
  errorsMax?: number;
  signal?: AbortSignal;
}

export interface LoadResult {
  ops: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** `op(worker, index)` performs one operation; it throws on failure. */
export async function runLoad(options: LoadOptions, op: (worker: number, index: number) => Promise<void>): Promise<LoadResult> {
  const { concurrency, durationMs, opsMax } = options;
  const errorsMax = options.errorsMax ?? Math.max(50, concurrency * 4);
  let firstError: string | undefined;
  let errors = 0;

  const warmup = options.warmupOpsPerWorker ?? 0;
  if (warmup > 0) {
    await Promise.all(Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; i < warmup; i++) {
        try { await op(worker, -1 - (worker * warmup + i)); } catch (error) { errors++; firstError ??= describe(error); if (errors >= errorsMax) return; }
      }
    }));
    if (errors >= errorsMax) {
      return { ops: 0, errors, firstError: firstError ?? 'unknown', elapsedMs: 0, opsPerSecond: 0, p50Ms: NaN, p99Ms: NaN };
    }
    errors = 0;
  }

  const latencies = new Float64Array(opsMax);
  let next = 0;
  let done = 0;
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
  const { p50Ms, p99Ms } = latencyPercentiles(latencies, done);
  return { ops: done, errors, ...(firstError !== undefined ? { firstError } : {}), elapsedMs, opsPerSecond: done / (elapsedMs / 1000), p50Ms, p99Ms };
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
