// The results model: scenarios hold rows (a workload with one client), rows hold one cell per server.
import { summarize, median, type Summary } from './stats.js';

/** ok: measured; cannot: the server lacks the feature (with why); error: it failed; missing: not installed; not run: bounded out. */
export type CellStatus = 'ok' | 'cannot' | 'error' | 'missing' | 'not run';

export interface Cell {
  server: string;
  status: CellStatus;
  reason?: string;
  /** One figure per run. */
  samples: number[];
  summary?: Summary;
  /** Per-run latency percentiles (ms), for request-rate rows. */
  p50Ms?: number[];
  p99Ms?: number[];
  /** Anything else worth keeping (peak RSS, key counts, error counts). */
  extra?: Record<string, number | string>;
}

export interface Row {
  workload: string;
  client: string;
  unit: string;
  /** true when a higher figure is better (rates), false for times. */
  higherIsBetter: boolean;
  cells: Cell[];
}

export type ScenarioStatus = 'done' | 'pending' | 'failed' | 'timed out' | 'skipped';

export interface ScenarioResult {
  id: string;
  number: string;
  title: string;
  status: ScenarioStatus;
  reason?: string;
  rows: Row[];
  notes: string[];
  loadAverageStart: number[];
  loadAverageEnd: number[];
  elapsedMs: number;
}

export class RowBuilder {
  readonly row: Row;
  constructor(workload: string, client: string, unit: string, higherIsBetter = true) {
    this.row = { workload, client, unit, higherIsBetter, cells: [] };
  }

  ok(server: string, samples: number[], extra?: { p50Ms?: number[]; p99Ms?: number[]; extra?: Record<string, number | string> }): Cell {
    const cell: Cell = { server, status: 'ok', samples, summary: summarize(samples), ...(extra ?? {}) };
    this.row.cells.push(cell);
    return cell;
  }

  not(server: string, status: Exclude<CellStatus, 'ok'>, reason: string, extra?: Record<string, number | string>): Cell {
    const cell: Cell = { server, status, reason, samples: [], ...(extra ? { extra } : {}) };
    this.row.cells.push(cell);
    return cell;
  }
}

export function cellOf(scenario: ScenarioResult | undefined, workload: string, client: string, server: string): Cell | undefined {
  const row = scenario?.rows.find((r) => r.workload === workload && r.client === client);
  return row?.cells.find((c) => c.server === server);
}

export function medianOf(cell: Cell | undefined): number | undefined {
  if (!cell || cell.status !== 'ok' || cell.samples.length === 0) return undefined;
  return median(cell.samples);
}
