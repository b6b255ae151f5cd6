// Is a package complete? A pure comparison of what a manifest expects with what has been delivered.

export interface ExpectedFile {
  /** Relative to the manifest's folder, '/'-separated, case-sensitive. */
  path: string;
  sizeBytes?: number | undefined;
  /** Lower-case hex. */
  md5?: string | undefined;
  sha256?: string | undefined;
}

export interface PresentFile {
  path: string;
  sizeBytes: number;
  /** Lower-case hex, when the platform knows it (single-part ETag, stored checksum, or computed). */
  md5?: string | undefined;
  sha256?: string | undefined;
}

export interface PackageStatus {
  /** complete: every expected file is present with the expected size and checksums. Extra files do not count
   * against it (manifests may be partial) and checksums the platform does not know are listed as unverified. */
  status: 'complete' | 'incomplete';
  expectedCount: number;
  presentCount: number;
  missing: string[];
  extra: string[];
  sizeMismatches: Array<{ path: string; expectedBytes: number; actualBytes: number }>;
  checksumMismatches: Array<{ path: string; algorithm: 'MD5' | 'SHA256'; expected: string; actual: string }>;
  unverified: Array<{ path: string; algorithm: 'MD5' | 'SHA256' }>;
}

export function packageStatus(expected: ExpectedFile[], delivered: PresentFile[]): PackageStatus {
  const byPath = new Map(delivered.map((file) => [file.path, file]));
  // A path listed twice counts once (the parsers report conflicting duplicates themselves).
  const wanted = [...new Map(expected.map((file) => [file.path, file])).values()];
  const expectedPaths = new Set(wanted.map((file) => file.path));
  const status: PackageStatus = {
    status: 'complete',
    expectedCount: expectedPaths.size,
    presentCount: 0,
    missing: [],
    extra: delivered.map((file) => file.path).filter((path) => !expectedPaths.has(path)),
    sizeMismatches: [],
    checksumMismatches: [],
    unverified: [],
  };
  for (const want of wanted) {
    const have = byPath.get(want.path);
    if (!have) {
      status.missing.push(want.path);
      continue;
    }
    status.presentCount++;
    if (want.sizeBytes !== undefined && want.sizeBytes !== have.sizeBytes) {
      status.sizeMismatches.push({ path: want.path, expectedBytes: want.sizeBytes, actualBytes: have.sizeBytes });
    }
    for (const algorithm of ['MD5', 'SHA256'] as const) {
      const digest = algorithm === 'MD5' ? want.md5 : want.sha256;
      const actual = algorithm === 'MD5' ? have.md5 : have.sha256;
      if (digest === undefined) continue;
      if (actual === undefined) status.unverified.push({ path: want.path, algorithm });
      else if (actual !== digest) status.checksumMismatches.push({ path: want.path, algorithm, expected: digest, actual });
    }
  }
  const broken = status.missing.length + status.sizeMismatches.length + status.checksumMismatches.length;
  status.status = broken === 0 ? 'complete' : 'incomplete';
  return status;
}
