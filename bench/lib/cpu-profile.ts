// Summarizes a V8 .cpuprofile (node --cpu-prof): self time by function and by module, busy share of the process.
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FrameShare {
  frame: string;
  /** Share of the busy (non-idle) samples, in percent. */
  selfPercent: number;
  selfMs: number;
}

export interface ProfileSummary {
  wallMs: number;
  busyMs: number;
  /** Busy share of wall time: 100% means the server's main thread was the bottleneck. */
  busyPercent: number;
  topFrames: FrameShare[];
  /** Self time grouped by where the code lives (our modules, node internals, packages, GC, native). */
  topModules: FrameShare[];
  /** Our own functions (src/) by inclusive time: the share of busy samples with the function on the stack. */
  topOwnInclusive: FrameShare[];
}

function shortUrl(url: string): string {
  if (!url) return '';
  const ours = /\/dist[^/]*\/(src\/.*)$/.exec(url);
  if (ours) return ours[1]!.replace(/\.js$/, '.ts');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (pkg) return `${pkg[1]}/${pkg[2]}`;
  return url.replace(/^file:\/\//, '');
}

function moduleOf(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (!url) {
    if (functionName === '(garbage collector)') return '(garbage collector)';
    if (functionName === '(program)') return '(program: native, outside JS functions)';
    return `(native) ${functionName}`;
  }
  if (url.startsWith('node:')) {
    const parts = url.split('/');
    return parts.length > 2 ? parts.slice(0, 2).join('/') : url; // node:internal/streams/readable → node:internal/streams
  }
  const ours = /\/dist[^/]*\/src\/(.*)$/.exec(url);
  if (ours) return `src/${ours[1]!.replace(/\.js$/, '.ts')}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1]!;
  return shortUrl(url);
}

/**
 * `lastMs` keeps only the samples of the profile's last lastMs milliseconds: the workload, without
 * the process's start-up (module loading, key derivation), which would dominate a short profile.
 */
export async function summarizeCpuProfile(path: string, lastMs?: number, top = 15): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const fromUs = lastMs !== undefined ? profile.endTime - lastMs * 1000 : -Infinity;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < fromUs) continue;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const frames = new Map<string, number>();
  const modules = new Map<string, number>();
  let idleUs = 0;
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    totalUs += us;
    if (node.callFrame.functionName === '(idle)') { idleUs += us; continue; }
    const { functionName, url, lineNumber } = node.callFrame;
    const frame = url ? `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}` : functionName;
    frames.set(frame, (frames.get(frame) ?? 0) + us);
    const module = moduleOf(node);
    modules.set(module, (modules.get(module) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  // Inclusive time of our own functions: walk each sampled node's stack once.
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = byId.get(at)!.callFrame;
      if (!/\/dist[^/]*\/src\//.test(url)) continue;
      const frame = `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`;
      if (seen.has(frame)) continue;
      seen.add(frame);
      inclusive.set(frame, (inclusive.get(frame) ?? 0) + us);
    }
  }
  const rank = (m: Map<string, number>): FrameShare[] => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([frame, us]) => ({ frame, selfMs: us / 1000, selfPercent: busyUs > 0 ? (us / busyUs) * 100 : 0 }));
  return {
    wallMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    busyPercent: totalUs > 0 ? (busyUs / totalUs) * 100 : 0,
    topFrames: rank(frames),
    topModules: rank(modules),
    topOwnInclusive: rank(inclusive),
  };
}
