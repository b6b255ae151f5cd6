// `npm run bench`: measures s3push, its peers and this machine's limits in one run; writes bench/results/<date>-<mode>.md and .json.
//
// Every scenario is bounded in time; every process it starts is stopped and every scratch
// directory removed, also when the run is interrupted. Usage: npm run bench -- --help
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { benchPaths, type BenchContext, type Scenario } from './lib/context.js';
import { describeMachine } from './lib/machine.js';
import { formatNumber } from './lib/measure.js';
import { parseOptions, usage, type BenchOptions } from './lib/options.js';
import { ProcessRegistry } from './lib/processes.js';
import { profileWorkloads, type ProfileReport } from './lib/profile-workloads.js';
import { writeReport, type RunReport } from './lib/report.js';
import type { ScenarioResult } from './lib/results.js';
import { evaluateTargets, profileWorkloadNames, type ProfileWorkload } from './lib/targets.js';
import { authorizationOverhead } from './scenarios/authorization.js';
import { bulkDelivery } from './scenarios/bulk-delivery.js';
import { ingestLatency } from './scenarios/ingest-latency.js';
import { largeObjects } from './scenarios/large-objects.js';
import { listObjects } from './scenarios/list-objects.js';
import { machineLimits } from './scenarios/machine-limits.js';
import { partnerCopy } from './scenarios/partner-copy.js';
import { serverCopy } from './scenarios/server-copy.js';
import { smallObjects } from './scenarios/small-objects.js';

const scenarios: Scenario[] = [machineLimits, largeObjects, smallObjects, listObjects, serverCopy, partnerCopy, bulkDelivery, ingestLatency, authorizationOverhead];

function log(line: string): void {
  process.stdout.write(line + '\n');
}

async function runScenario(base: Omit<BenchContext, 'signal'>, scenario: Scenario, timeoutS: number): Promise<ScenarioResult> {
  const controller = new AbortController();
  const loadAverageStart = loadavg();
  const started = performance.now();
  log(`\n== ${scenario.number}. ${scenario.title}`);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutS * 1000);
  });
  const result = (status: ScenarioResult['status'], fields: Partial<ScenarioResult>): ScenarioResult => ({
    id: scenario.id, number: scenario.number, title: scenario.title, status, rows: [], notes: [],
    ...fields, loadAverageStart, loadAverageEnd: loadavg(), elapsedMs: performance.now() - started,
  });
  try {
    const outcome = await Promise.race([scenario.run({ ...base, signal: controller.signal }), timedOut]);
    if (outcome === 'timeout') {
      controller.abort();
      // Stopping the servers fails whatever request is still waiting, so the scenario unwinds.
      await base.registry.stopAll();
      log(`  timed out after ${timeoutS} s`);
      return result('timed out', { reason: `exceeded the ${timeoutS} s bound (--scenario-timeout-s)` });
    }
    if (outcome.status === 'pending') log(`  pending: ${outcome.reason ?? ''}`);
    return result(outcome.status ?? 'done', { rows: outcome.rows, notes: outcome.notes, ...(outcome.reason ? { reason: outcome.reason } : {}) });
  } catch (error) {
    log(`  failed: ${(error as Error).stack ?? String(error)}`);
    await base.registry.stopAll();
    return result('failed', { reason: (error as Error).message });
  } finally {
    clearTimeout(timer);
  }
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseOptions(argv);
  if (parsed === 'help') {
    log(usage);
    return 0;
  }
  const options: BenchOptions = parsed;
  const paths = benchPaths();
  const registry = new ProcessRegistry();
  const tmpRoot = await mkdtemp(join(resolve(options.tmpDir), 's3push-bench-'));
  const cleanupNow = () => {
    registry.killAllNow();
    rmSync(tmpRoot, { recursive: true, force: true });
  };
  process.once('exit', cleanupNow);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`\n${signal}: stopping servers and removing ${tmpRoot}`);
      void registry.stopAll().finally(() => {
        rmSync(tmpRoot, { recursive: true, force: true });
        process.exit(130);
      });
    });
  }

  const startedAt = new Date().toISOString();
  const started = performance.now();
  const outDir = resolve(paths.repoRoot, options.outDir);
  const stamp = startedAt.replace(/:\d\d\.\d+Z$/, '').replace(':', '');
  const machine = describeMachine(tmpRoot, paths.repoRoot);
  log(`s3push bench (${options.quick ? 'quick' : 'full'}) — ${machine.cpuModel}, ${machine.cores} cores, load ${machine.loadAverage.map((l) => l.toFixed(2)).join(' ')}`);
  log(`scratch: ${tmpRoot}`);

  const earlier = new Map<string, ScenarioResult>();
  const base: Omit<BenchContext, 'signal'> = { options, paths, registry, tmpRoot, profileDir: join(outDir, 'profiles', `${stamp}-${options.quick ? 'quick' : 'full'}`), log, earlier };
  try {
    for (const scenario of scenarios) {
      if (!options.only.includes(scenario.id)) continue;
      const result = await runScenario(base, scenario, options.scenarioTimeoutS);
      earlier.set(scenario.id, result);
    }
    const targets = evaluateTargets(earlier, options);
    let profiles: ProfileReport[] = [];
    const missed = options.profile ? targets.filter((t) => t.status === 'missed' && t.profile).map((t) => t.profile!) : [];
    for (const name of options.profileWorkloads) {
      if (!(profileWorkloadNames as readonly string[]).includes(name)) throw new Error(`unknown profile workload "${name}" (known: ${profileWorkloadNames.join(', ')})`);
    }
    const toProfile = [...new Set([...missed, ...options.profileWorkloads as ProfileWorkload[]])];
    if (toProfile.length > 0) {
      log(`\n== profiles: ${toProfile.join(', ')}`);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), options.scenarioTimeoutS * 1000);
      try {
        profiles = await profileWorkloads({ ...base, signal: controller.signal }, toProfile);
      } finally {
        clearTimeout(timer);
      }
    }
    const report: RunReport = {
      startedAt, mode: options.quick ? 'quick' : 'full',
      command: basename(paths.distRoot) === 'dist' ? `npm run bench --${argv.length ? ' ' + argv.join(' ') : ''}` : `node ${relative(paths.repoRoot, join(paths.distRoot, 'bench', 'run.js'))} ${argv.join(' ')}`.trim(),
      options, machine, loadAverageEnd: loadavg(), elapsedMs: performance.now() - started, scenarios: [...earlier.values()], targets, profiles,
    };
    const written = await writeReport(outDir, report);
    log('\n== targets');
    for (const t of targets) {
      log(`  ${t.status.padEnd(12)} ${t.name}: ${t.measured !== undefined ? formatNumber(t.measured) : '–'} ${t.unit} (${t.rule}${t.threshold !== undefined ? ` = ${formatNumber(t.threshold)} ${t.unit}` : ''})`);
    }
    log(`\nwrote ${written.markdown}\n      ${written.json}\n(${((performance.now() - started) / 1000).toFixed(0)} s; load ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
    return [...earlier.values()].some((s) => s.status === 'failed') ? 1 : 0;
  } finally {
    await registry.stopAll();
    await rm(tmpRoot, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exitCode = 2;
});
