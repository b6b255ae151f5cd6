// What every scenario receives: options, paths, the process registry, a scratch directory, the log, earlier results.
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions, ScenarioId } from './options.js';
import type { ProcessRegistry } from './processes.js';
import type { Row, ScenarioResult } from './results.js';

export interface BenchPaths {
  /** The repository (holds bin/, bench/, package.json). */
  repoRoot: string;
  /** The compiled tree this bench runs from (dist/ for `npm run bench`). */
  distRoot: string;
  /** How to start the s3push CLI: bin/s3push.js when the bench runs from dist/, else the same build's CLI. */
  cli: { args: string[] };
  nullServer: string;
}

export interface BenchContext {
  options: BenchOptions;
  paths: BenchPaths;
  registry: ProcessRegistry;
  /** Scratch directory of this run (removed at the end). */
  tmpRoot: string;
  /** Where CPU profiles are written. */
  profileDir: string;
  log(line: string): void;
  /** Aborted when the scenario runs out of time. */
  signal: AbortSignal;
  /** Results of the scenarios that already ran (targets use the machine limits, for instance). */
  earlier: ReadonlyMap<string, ScenarioResult>;
}

export function benchPaths(): BenchPaths {
  // This file is <distRoot>/bench/lib/context.js once compiled.
  const distRoot = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
  const repoRoot = dirname(distRoot);
  const mainJs = join(distRoot, 'src', 'cli', 'main.js');
  const cli = basename(distRoot) === 'dist'
    ? { args: [join(repoRoot, 'bin', 's3push.js')] }
    : { args: ['--input-type=module', '-e', `const { run } = await import(${JSON.stringify(mainJs)}); await run(['node', 's3push', ...process.argv.slice(1)]);`, '--'] };
  return { repoRoot, distRoot, cli, nullServer: join(distRoot, 'bench', 'lib', 'null-server.js') };
}

/** What a scenario hands back; run.ts adds timing, load averages and status on failure. */
export interface ScenarioOutcome {
  status?: 'done' | 'pending';
  reason?: string;
  rows: Row[];
  notes: string[];
}

export interface Scenario {
  id: ScenarioId;
  /** The numbering ("1", "3b"). */
  number: string;
  title: string;
  run(ctx: BenchContext): Promise<ScenarioOutcome>;
}
