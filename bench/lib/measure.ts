// Small measuring helpers shared by scenarios: timing, rates, server lifetimes, which servers a scenario runs against.
import type { BenchContext } from './context.js';
import type { PeerName } from './options.js';
import { startServerByName, ServerUnavailable, type RunningServer, type ServerName } from './servers.js';

export const MB = 1e6;
export const KiB = 1024;
export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

export async function timeMs(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

export function mbPerSecond(bytes: number, ms: number): number {
  return bytes / MB / (ms / 1000);
}

/** A size as people write it: 4 KiB, 256 MiB, 1 GiB, 10 GiB. */
export function sizeLabel(bytes: number): string {
  if (bytes >= GiB && bytes % GiB === 0) return `${bytes / GiB} GiB`;
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes >= KiB && bytes % KiB === 0) return `${bytes / KiB} KiB`;
  return `${bytes} B`;
}

/** The servers a scenario runs against: s3push, then the peers the options allow here. */
export function serversFor(ctx: BenchContext, peersHere: boolean, extra: ServerName[] = []): ServerName[] {
  const peers: PeerName[] = peersHere ? ctx.options.peers : [];
  return [...extra, 's3push', ...peers];
}

/** Why a peer was left out of this scenario when it was (quick mode). */
export function peerSkipReason(ctx: BenchContext, peersHere: boolean): string | undefined {
  if (peersHere) return undefined;
  return ctx.options.quick ? 'peers run only the small-object rates in --quick' : 'peers not selected';
}

/**
 * Starts a server, runs `work`, always stops it. A server that cannot start is reported to
 * `unavailable` (missing or error) instead of failing the scenario.
 */
export async function withServer<T>(
  ctx: BenchContext,
  name: ServerName,
  work: (server: RunningServer) => Promise<T>,
  unavailable: (status: 'missing' | 'error', reason: string) => void,
): Promise<T | undefined> {
  let server: RunningServer;
  try {
    server = await startServerByName(ctx, name);
  } catch (error) {
    if (error instanceof ServerUnavailable) {
      ctx.log(`  ${name}: ${error.status} (${error.message})`);
      unavailable(error.status, error.message);
      return undefined;
    }
    throw error;
  }
  try {
    return await work(server);
  } finally {
    await server.stop();
  }
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString('en-US');
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}
