// Command-line options of `npm run bench`, with the full and --quick defaults in one place.
import { parseArgs } from 'node:util';
import { tmpdir } from 'node:os';

export const scenarioIds = ['limits', 'large', 'small', 'list', 'copy', 'partner', 'deliver', 'ingest', 'auth'] as const;
export type ScenarioId = (typeof scenarioIds)[number];
export const peerNames = ['moto', 's3rver'] as const;
export type PeerName = (typeof peerNames)[number];

export interface BenchOptions {
  quick: boolean;
  only: ScenarioId[];
  /** Peers that run each scenario; in --quick, peers run the small-object rates only. */
  peers: PeerName[];
  peersEverywhere: boolean;
  runs: number;
  hashMiB: number;
  diskMiB: number;
  largeMiB: number;
  chunkKiB: number;
  smallKiB: number;
  durationS: number;
  /** Untimed warm-up before each request-rate measurement. */
  warmupMs: number;
  concurrency: number[];
  smallKeys: number;
  /** Distinct keys signed ahead for PUTs of new objects. */
  newPutKeys: number;
  listKeys: number;
  /** Time allowed to fill a bucket for the listing (s3push; peers get peerListFillS and list what they got). */
  listFillS: number;
  peerListFillS: number;
  copyBaseMiB: number;
  copyPartMiB: number;
  /** Object sizes (MiB) for CopyObject; 5 GiB is S3's single-copy maximum. */
  copySizesMiB: number[];
  uploadPartCopyGiB: number;
  sdk: boolean;
  profile: boolean;
  /** Profile these workloads whatever the targets say. */
  profileWorkloads: string[];
  outDir: string;
  tmpDir: string;
  /** Bound on one scenario's wall time. */
  scenarioTimeoutS: number;
}

const usage = `npm run bench -- [options]
  --quick                 routine check, under 2 minutes (small sizes, one concurrency, peers on small objects only)
  --only <ids|none>       comma list of: ${scenarioIds.join(', ')}
  --peers <names|none>    comma list of: ${peerNames.join(', ')} (default: all)
  --runs <n>              runs per measurement (median and spread); default 3, quick 2
  --large-mib <n>         large object size (default 1024, quick 128)
  --small-kib <n>         small object size (default 4)
  --duration-s <s>        time per request-rate measurement (default 3, quick 0.6)
  --concurrency <list>    clients in flight (default 16,64; quick 64)
  --list-keys <n>         keys for ListObjectsV2 (default 100000, quick 5000)
  --copy-base-mib <n>     part that big copy sources are made of (default 256, quick 64)
  --copy-sizes-mib <list> CopyObject sizes (default 1,1024,5120)
  --no-sdk                lean client only
  --profile / --no-profile  profile s3push (node --cpu-prof) on workloads that miss a target (default on, off in quick)
  --profile-workloads <list>  profile these anyway: put-large, put-large-chunked, get-large, put-small, get-small, list, copy-large
                          (with --only none: profiles only)
  --out <dir>             results directory (default bench/results)
  --tmp <dir>             scratch directory for data dirs and disk tests (default ${tmpdir()})`;

function list(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not "${value}"`);
  return n;
}

export function parseOptions(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      peers: { type: 'string' },
      runs: { type: 'string' },
      'hash-mib': { type: 'string' },
      'disk-mib': { type: 'string' },
      'large-mib': { type: 'string' },
      'chunk-kib': { type: 'string' },
      'small-kib': { type: 'string' },
      'duration-s': { type: 'string' },
      concurrency: { type: 'string' },
      'list-keys': { type: 'string' },
      'list-fill-s': { type: 'string' },
      'copy-base-mib': { type: 'string' },
      'copy-part-mib': { type: 'string' },
      'copy-sizes-mib': { type: 'string' },
      'no-sdk': { type: 'boolean', default: false },
      profile: { type: 'boolean' },
      'no-profile': { type: 'boolean', default: false },
      'profile-workloads': { type: 'string' },
      out: { type: 'string', default: 'bench/results' },
      tmp: { type: 'string', default: tmpdir() },
      'scenario-timeout-s': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const quick = values.quick ?? false;
  const only = values.only === 'none' ? [] : values.only ? list(values.only) : [...scenarioIds];
  for (const id of only) if (!(scenarioIds as readonly string[]).includes(id)) throw new Error(`unknown scenario "${id}" (known: ${scenarioIds.join(', ')})`);
  const peers = values.peers === undefined ? [...peerNames] : values.peers === 'none' ? [] : list(values.peers);
  for (const p of peers) if (!(peerNames as readonly string[]).includes(p)) throw new Error(`unknown peer "${p}" (known: ${peerNames.join(', ')})`);
  const concurrency = values.concurrency ? list(values.concurrency).map((c) => positive('concurrency', c, 1)) : quick ? [64] : [16, 64];
  return {
    quick,
    only: only as ScenarioId[],
    peers: peers as PeerName[],
    peersEverywhere: !quick,
    runs: Math.round(positive('runs', values.runs, quick ? 2 : 3)),
    hashMiB: positive('hash-mib', values['hash-mib'], quick ? 64 : 256),
    diskMiB: positive('disk-mib', values['disk-mib'], quick ? 256 : 1024),
    largeMiB: positive('large-mib', values['large-mib'], quick ? 128 : 1024),
    chunkKiB: positive('chunk-kib', values['chunk-kib'], 64),
    smallKiB: positive('small-kib', values['small-kib'], 4),
    durationS: positive('duration-s', values['duration-s'], quick ? 0.6 : 3),
    warmupMs: quick ? 300 : 500,
    concurrency,
    smallKeys: quick ? 300 : 2_000,
    newPutKeys: quick ? 5_000 : 40_000,
    listKeys: Math.round(positive('list-keys', values['list-keys'], quick ? 5_000 : 100_000)),
    listFillS: positive('list-fill-s', values['list-fill-s'], quick ? 8 : 300),
    peerListFillS: quick ? 8 : 90,
    copyBaseMiB: positive('copy-base-mib', values['copy-base-mib'], quick ? 64 : 256),
    copyPartMiB: positive('copy-part-mib', values['copy-part-mib'], 512),
    copySizesMiB: values['copy-sizes-mib'] ? list(values['copy-sizes-mib']).map((m) => positive('copy-sizes-mib', m, 1)) : [1, 1024, 5 * 1024],
    uploadPartCopyGiB: 10,
    sdk: !values['no-sdk'],
    profile: values['no-profile'] ? false : values.profile ?? !quick,
    profileWorkloads: values['profile-workloads'] ? list(values['profile-workloads']) : [],
    outDir: values.out!,
    tmpDir: values.tmp!,
    scenarioTimeoutS: positive('scenario-timeout-s', values['scenario-timeout-s'], quick ? 60 : 2_400),
  };
}

export { usage };
