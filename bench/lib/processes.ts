// Child processes the bench starts (servers, CLIs): spawning in their own process group, readiness, RSS, cleanup.
//
// Every child is registered so that an interrupted or failed run still stops what it started
// (by process-group id of children it spawned itself, never by name).
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';

export interface Child {
  name: string;
  process: ChildProcess;
  pid: number;
  /** Recent stdout and stderr, for error messages. */
  output(): string;
  exited: Promise<number | null>;
}

const outputBytesMax = 16 * 1024;

export class ProcessRegistry {
  readonly #children = new Set<Child>();

  spawn(name: string, command: string, args: string[], options: SpawnOptions = {}): Child {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...options });
    if (child.pid === undefined) {
      child.once('error', () => undefined); // ENOENT and the like arrive as an event; the throw below reports it
      throw new Error(`${name}: could not start ${command}`);
    }
    let output = '';
    const keep = (chunk: Buffer) => { output = (output + chunk.toString('utf8')).slice(-outputBytesMax); };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.once('error', () => resolve(null));
    });
    const entry: Child = { name, process: child, pid: child.pid, output: () => output, exited };
    this.#children.add(entry);
    void exited.then(() => this.#children.delete(entry));
    return entry;
  }

  /** SIGTERM to the child's process group, SIGKILL after graceMs. */
  async stop(child: Child, graceMs = 5_000): Promise<void> {
    if (child.process.exitCode !== null || child.process.signalCode !== null) return;
    signalGroup(child.pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), graceMs);
    await child.exited;
    clearTimeout(timer);
    // A group may hold grandchildren (a pyenv shim's python): make sure none is left.
    signalGroup(child.pid, 'SIGKILL');
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#children].map((c) => this.stop(c, 3_000)));
  }

  /** Synchronous last resort (process 'exit' handler): kill every group still registered. */
  killAllNow(): void {
    for (const child of this.#children) signalGroup(child.pid, 'SIGKILL');
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try { process.kill(-pid, signal); } catch { /* already gone */ }
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves when a TCP connect to the port succeeds; rejects when the child exits or the time is up. */
export async function waitForPort(port: number, child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void child.exited.then(() => { exited = true; });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${child.name} exited before listening: ${child.output().trim().split('\n').slice(-5).join(' | ')}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ port, host: '127.0.0.1' });
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${child.name} did not listen on ${port} within ${timeoutMs} ms: ${child.output().trim().split('\n').slice(-5).join(' | ')}`);
}

/** VmRSS and VmHWM (peak) of a process, in bytes; undefined when it is gone. */
export function readRss(pid: number): { rssBytes: number; peakBytes: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rssBytes: kib('VmRSS'), peakBytes: kib('VmHWM') };
  } catch {
    return undefined;
  }
}

const clockTicksPerSecond = 100; // USER_HZ: 100 on every Linux the bench runs on (getconf CLK_TCK)

/** CPU time (user + system, all threads) a process has used so far, in ms; undefined when it is gone. */
export function readCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond) * 1000;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every intervalMs and keeps the maximum (VmHWM covers the whole life, this a window). */
export class RssSampler {
  #maxBytes = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly pid: number, private readonly intervalMs = 100) {}

  start(): this {
    this.#maxBytes = readRss(this.pid)?.rssBytes ?? 0;
    this.#timer = setInterval(() => {
      const rss = readRss(this.pid)?.rssBytes;
      if (rss !== undefined && rss > this.#maxBytes) this.#maxBytes = rss;
    }, this.intervalMs);
    this.#timer.unref();
    return this;
  }

  stop(): number {
    if (this.#timer) clearInterval(this.#timer);
    const rss = readRss(this.pid)?.rssBytes;
    if (rss !== undefined && rss > this.#maxBytes) this.#maxBytes = rss;
    return this.#maxBytes;
  }
}

/** Runs a command to completion with a time bound; answers its exit code and output. */
export async function runCommand(registry: ProcessRegistry, name: string, command: string, args: string[], options: SpawnOptions & { timeoutMs: number }): Promise<{ code: number | null; output: string; elapsedMs: number }> {
  const started = performance.now();
  const child = registry.spawn(name, command, args, options);
  const timer = setTimeout(() => void registry.stop(child, 1_000), options.timeoutMs);
  const code = await child.exited;
  clearTimeout(timer);
  return { code, output: child.output(), elapsedMs: performance.now() - started };
}
