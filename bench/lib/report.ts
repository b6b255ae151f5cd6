// Writes a run's results: a dated Markdown report (tables per scenario, targets, profiles) and the same data as JSON.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchOptions } from './options.js';
import type { MachineDescription } from './machine.js';
import { formatNumber } from './measure.js';
import type { ProfileReport } from './profile-workloads.js';
import type { Cell, ScenarioResult } from './results.js';
import { median } from './stats.js';
import type { TargetCheck } from './targets.js';

export interface RunReport {
  startedAt: string;
  mode: 'quick' | 'full';
  command: string;
  options: BenchOptions;
  machine: MachineDescription;
  loadAverageEnd: number[];
  elapsedMs: number;
  scenarios: ScenarioResult[];
  targets: TargetCheck[];
  profiles: ProfileReport[];
}

const serverOrder = ['machine', 'null', 's3push', 'moto', 's3rver'];
const serverTitles: Record<string, string> = {
  machine: 'this machine',
  null: 'do-nothing endpoint (ceiling)',
  s3push: 's3push',
  moto: 'moto (server mode)',
  s3rver: 's3rver',
};

function load(values: number[]): string {
  return values.map((v) => v.toFixed(2)).join(' / ');
}

function duration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

function cellText(cell: Cell | undefined, footnote: (text: string) => number): string {
  if (!cell) return '';
  if (cell.status !== 'ok' || !cell.summary) {
    const n = footnote(`${cell.status}: ${cell.reason ?? ''}${cell.extra ? ` (${Object.entries(cell.extra).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}`);
    return `*${cell.status}* [${n}]`;
  }
  const s = cell.summary;
  let text = formatNumber(s.median);
  if (s.runs > 1) text += ` (${formatNumber(s.min)}–${formatNumber(s.max)})`;
  if (cell.p50Ms && cell.p99Ms && cell.p50Ms.length > 0) text += `<br>p50 ${formatNumber(median(cell.p50Ms))} · p99 ${formatNumber(median(cell.p99Ms))} ms`;
  const inline = new Set(['serverPeakRssMiB', 'serverCpuUsPerOp', 'clientCpuUsPerOp', 'serverMBPerCpuSecond']);
  const extras = Object.entries(cell.extra ?? {}).filter(([k]) => !inline.has(k));
  if (extras.length > 0) text += ` [${footnote(extras.map(([k, v]) => `${k}: ${v}`).join(', '))}]`;
  const extra = cell.extra ?? {};
  if (extra['serverCpuUsPerOp'] !== undefined || extra['clientCpuUsPerOp'] !== undefined) {
    text += `<br>CPU/op ${extra['serverCpuUsPerOp'] !== undefined ? `srv ${formatNumber(Number(extra['serverCpuUsPerOp']))}` : ''}${extra['clientCpuUsPerOp'] !== undefined ? ` cli ${formatNumber(Number(extra['clientCpuUsPerOp']))}` : ''} µs`;
  }
  if (extra['serverMBPerCpuSecond'] !== undefined) text += `<br>${formatNumber(Number(extra['serverMBPerCpuSecond']))} MB per server CPU-s`;
  if (extra['serverPeakRssMiB'] !== undefined) text += `<br>RSS ≤ ${formatNumber(Number(extra['serverPeakRssMiB']))} MiB`;
  return text;
}

function scenarioMarkdown(scenario: ScenarioResult): string {
  const lines: string[] = [];
  lines.push(`## ${scenario.number}. ${scenario.title}`);
  lines.push('');
  if (scenario.status !== 'done') {
    lines.push(`**${scenario.status}**${scenario.reason ? `: ${scenario.reason}` : ''}`);
    lines.push('');
  }
  if (scenario.rows.length > 0) {
    const servers = serverOrder.filter((s) => scenario.rows.some((r) => r.cells.some((c) => c.server === s)));
    const footnotes: string[] = [];
    const footnote = (text: string) => {
      const existing = footnotes.indexOf(text);
      if (existing >= 0) return existing + 1;
      footnotes.push(text);
      return footnotes.length;
    };
    lines.push(`| workload | client | ${servers.map((s) => serverTitles[s] ?? s).join(' | ')} |`);
    lines.push(`|---|---|${servers.map(() => '---:').join('|')}|`);
    for (const row of scenario.rows) {
      const cells = servers.map((s) => cellText(row.cells.find((c) => c.server === s), footnote));
      lines.push(`| ${row.workload} [${row.unit}${row.higherIsBetter ? '' : ', lower is better'}] | ${row.client} | ${cells.join(' | ')} |`);
    }
    lines.push('');
    for (const [i, text] of footnotes.entries()) lines.push(`[${i + 1}] ${text.replace(/\|/g, '\\|')}  `);
    if (footnotes.length > 0) lines.push('');
  }
  for (const note of scenario.notes) lines.push(`- ${note}`);
  lines.push('');
  lines.push(`<sub>${duration(scenario.elapsedMs)}; load average ${load(scenario.loadAverageStart)} at start, ${load(scenario.loadAverageEnd)} at end.</sub>`);
  lines.push('');
  return lines.join('\n');
}

function targetsMarkdown(targets: TargetCheck[]): string {
  const lines = ['## Targets', '', '| target | rule | threshold | s3push measured | ratio | status | context |', '|---|---|---:|---:|---:|---|---|'];
  for (const t of targets) {
    const threshold = t.threshold !== undefined ? `${formatNumber(t.threshold)} ${t.unit}` : '–';
    const measured = t.measured !== undefined ? `${formatNumber(t.measured)} ${t.unit}` : '–';
    const ratio = t.ratio !== undefined ? `${(t.ratio * 100).toFixed(0)}%` : '–';
    const status = t.status === 'met' ? 'met' : t.status === 'missed' ? `**missed** (gap ${gap(t)})` : 'not measured';
    lines.push(`| ${t.name} | ${t.rule} | ${threshold} | ${measured} | ${ratio} | ${status} | ${t.context ?? ''} |`);
  }
  lines.push('', 'ratio = measured ÷ threshold (threshold ÷ measured for times and memory); 100% = exactly on target.', '');
  return lines.join('\n');
}

function gap(t: TargetCheck): string {
  if (t.threshold === undefined || t.measured === undefined) return '?';
  const diff = t.higherIsBetter ? t.threshold - t.measured : t.measured - t.threshold;
  return `${formatNumber(diff)} ${t.unit}`;
}

function profilesMarkdown(profiles: ProfileReport[]): string {
  if (profiles.length === 0) return '';
  const lines = ['## Profiles', '', 's3push ran under `node --cpu-prof` on each workload alone (data it reads was written by an unprofiled process first). Shares are of the busy (non-idle) samples of the server\'s main thread, start-up cut off. The sampler is wall-clock: time the thread spends blocked in a synchronous call (an fsync inside SQLite\'s commit) counts as that call\'s self time. Work on libuv\'s thread pool (file I/O) is not in these tables; the scenarios\' CPU/op figures include it.', ''];
  for (const p of profiles) {
    lines.push(`### ${p.workload}: ${p.description}`);
    lines.push('');
    if (p.error || !p.summary) {
      lines.push(`Not profiled: ${p.error ?? 'no summary'}`, '');
      continue;
    }
    const s = p.summary;
    lines.push(`While profiled: ${p.measured}. Main thread busy ${s.busyPercent.toFixed(0)}% of ${duration(s.wallMs)}${p.file ? ` (profile: \`${p.file}\`)` : ''}.`, '');
    lines.push('| by module (self) | % | top functions (self) | % | our code (inclusive) | % |', '|---|---:|---|---:|---|---:|');
    const code = (f: { frame: string } | undefined) => (f ? `\`${f.frame.replace(/\|/g, '\\|')}\`` : '');
    const pct = (f: { selfPercent: number } | undefined) => (f ? f.selfPercent.toFixed(1) : '');
    for (let i = 0; i < 12; i++) {
      const m = s.topModules[i];
      const f = s.topFrames[i];
      const o = s.topOwnInclusive?.[i];
      if (!m && !f && !o) break;
      lines.push(`| ${code(m)} | ${pct(m)} | ${code(f)} | ${pct(f)} | ${code(o)} | ${pct(o)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

export function reportMarkdown(report: RunReport): string {
  const m = report.machine;
  const lines = [
    `# s3push benchmark — ${report.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} (${report.mode} run)`,
    '',
    `- Command: \`${report.command}\``,
    `- Machine: ${m.cpuModel}, ${m.cores} cores (${m.cpuFlags.join(', ')}), ${m.memoryGiB} GiB RAM, Linux ${m.kernel}; Node ${m.node} (OpenSSL ${m.openssl}); filesystem ${m.filesystem}`,
    `- Build: commit ${m.commit}`,
    `- Load average (1/5/15 min): ${load(m.loadAverage)} at start, ${load(report.loadAverageEnd)} at end — the machine is shared with other engineers' work, so absolute figures are noisy; ratios within one run are the point.`,
    `- Wall time: ${duration(report.elapsedMs)}. Figures: median of the runs with (min–max); request-rate cells add the median p50/p99 latency. MB = 10^6 bytes; KiB/MiB/GiB = 2^10/2^20/2^30 bytes.`,
    `- Clients: **lean** = this bench's load generator (raw keep-alive HTTP/1.1, SigV4 heads precomputed with src/protocol/sigv4.ts) — what the server can do; **sdk** = AWS SDK for JavaScript v3 — what users see; **aws-cli** = the aws command.`,
    '',
    targetsMarkdown(report.targets),
  ];
  const profiles = profilesMarkdown(report.profiles);
  if (profiles) lines.push(profiles);
  for (const scenario of report.scenarios) lines.push(scenarioMarkdown(scenario));
  return lines.join('\n');
}

/** Writes <out>/<date>-<mode>.md and .json; answers the two paths. */
export async function writeReport(outDir: string, report: RunReport): Promise<{ markdown: string; json: string }> {
  await mkdir(outDir, { recursive: true });
  const stamp = report.startedAt.replace(/:\d\d\.\d+Z$/, '').replace(':', '');
  const base = join(outDir, `${stamp}-${report.mode}`);
  await writeFile(`${base}.json`, JSON.stringify(report, null, 1) + '\n');
  await writeFile(`${base}.md`, reportMarkdown(report));
  return { markdown: `${base}.md`, json: `${base}.json` };
}
