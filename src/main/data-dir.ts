// The data directory's layout, in one place: what lives where under --data.
import { join } from 'node:path';

export interface DataDirLayout {
  root: string;
  metaDatabase: string;
  blobsRoot: string;
  masterKey: string;
  credentials: string;
  portalLogin: string;
  serverInfo: string;
}

export function dataDirLayout(root: string): DataDirLayout {
  return {
    root,
    metaDatabase: join(root, 'meta.sqlite'),
    blobsRoot: root,
    masterKey: join(root, 'master.key'),
    credentials: join(root, 'credentials'),
    portalLogin: join(root, 'portal-login'),
    serverInfo: join(root, 'server.json'),
  };
}

/** Parses an AWS shared-credentials file into profiles. */
export function parseCredentialsFile(text: string): Map<string, Record<string, string>> {
  const profiles = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = {};
      profiles.set(section[1]!.trim(), current);
      continue;
    }
    const eq = line.indexOf('=');
    if (current && eq > 0) current[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return profiles;
}
