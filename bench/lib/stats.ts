// Summary statistics for benchmark samples: median and spread over runs, latency percentiles.

export interface Summary {
  median: number;
  min: number;
  max: number;
  /** (max - min) / median, as a fraction; 0 for one sample. */
  spread: number;
  runs: number;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) return { median: NaN, min: NaN, max: NaN, spread: NaN, runs: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const median = percentileOfSorted(sorted, 0.5);
  const min = sorted[0]!;
  const max = sorted[sorted.length - 1]!;
  return { median, min, max, spread: median > 0 ? (max - min) / median : 0, runs: samples.length };
}

/** Linear-interpolated percentile (0..1) of an ascending array. */
export function percentileOfSorted(sorted: ArrayLike<number>, fraction: number): number {
  if (sorted.length === 0) return NaN;
  const position = (sorted.length - 1) * fraction;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const a = sorted[low]!;
  const b = sorted[high]!;
  return a + (b - a) * (position - low);
}

/** p50 and p99 of latencies (ms); sorts a copy of the first `count` entries. */
export function latencyPercentiles(latenciesMs: Float64Array, count: number): { p50Ms: number; p99Ms: number } {
  const sorted = latenciesMs.slice(0, count).sort();
  return { p50Ms: percentileOfSorted(sorted, 0.5), p99Ms: percentileOfSorted(sorted, 0.99) };
}

export function median(samples: readonly number[]): number {
  return summarize(samples).median;
}
