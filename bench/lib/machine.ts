// A description of the machine and build the figures come from (CPU, cores, memory, disk, versions, load).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';

export interface MachineDescription {
  cpuModel: string;
  cores: number;
  cpuFlags: string[];
  memoryGiB: number;
  kernel: string;
  node: string;
  openssl: string;
  filesystem: string;
  commit: string;
  loadAverage: number[];
}

function quiet(command: string, args: string[], cwd?: string): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000, ...(cwd ? { cwd } : {}) }).trim();
  } catch {
    return '';
  }
}

export function describeMachine(scratchDir: string, repoRoot: string): MachineDescription {
  let flags: string[] = [];
  try {
    const line = /^flags\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '';
    const present = new Set(line.split(/\s+/));
    flags = ['sha_ni', 'sse4_2', 'pclmulqdq', 'vpclmulqdq', 'avx2', 'avx512f', 'aes', 'vaes'].filter((f) => present.has(f));
  } catch { /* not Linux */ }
  const fs = quiet('findmnt', ['-no', 'FSTYPE,SOURCE', '--target', scratchDir]).replace(/\s+/g, ' on ');
  const head = quiet('git', ['rev-parse', '--short', 'HEAD'], repoRoot);
  const dirty = quiet('git', ['status', '--porcelain', '--untracked-files=no'], repoRoot).split('\n').filter(Boolean).length;
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    cpuFlags: flags,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    openssl: process.versions.openssl ?? '',
    filesystem: fs ? `${fs} (scratch: ${scratchDir})` : scratchDir,
    commit: head ? `${head}${dirty > 0 ? ` + ${dirty} modified files (work in progress)` : ''}` : 'unknown',
    loadAverage: loadavg(),
  };
}
