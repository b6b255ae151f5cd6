// Which API a request is for and how it addresses its bucket: signing service, path prefix, Host header.
// Rules: reference/aws-semantics.md §0 (one port, several APIs).

export type ApiService = 's3' | 's3control' | 'sts' | 'iam' | 'admin';

export interface RequestTarget {
  service: ApiService;
  /** Virtual-host label before a base host: a bucket name, an alias, or NAME-ACCOUNT for an access point ARN. */
  hostLabel?: string;
  /** S3 Control: the account id from an ACCOUNT.HOST host. */
  hostAccountId?: string;
}

/** Services named in the SigV4 credential scope that are not S3. */
const scopeServices: Record<string, ApiService> = { sts: 'sts', iam: 'iam', s3push: 'admin' };

const S3_CONTROL_PREFIX = '/v20180820/';

/**
 * Decides the API and addressing. `baseHosts` are lower-case host names without port
 * (e.g. localhost, 127.0.0.1, s3push.example.com); a Host that is not X.<base> is path style.
 */
export function resolveTarget(hostHeader: string | undefined, rawPath: string, signingService: string | undefined, baseHosts: readonly string[]): RequestTarget {
  const fromScope = signingService ? scopeServices[signingService] : undefined;
  if (fromScope) return { service: fromScope };
  const host = stripPort(hostHeader ?? '').toLowerCase();
  const label = labelBeforeBase(host, baseHosts);
  if (rawPath.startsWith(S3_CONTROL_PREFIX) || rawPath === S3_CONTROL_PREFIX.slice(0, -1)) {
    const accountId = label && /^\d{12}$/.test(label) ? label : undefined;
    return { service: 's3control', ...(accountId ? { hostAccountId: accountId } : {}) };
  }
  return label ? { service: 's3', hostLabel: label } : { service: 's3' };
}

function stripPort(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon >= 0 ? host.slice(0, colon) : host;
}

function labelBeforeBase(host: string, baseHosts: readonly string[]): string | undefined {
  for (const base of baseHosts) {
    if (host === base) return undefined;
    if (host.endsWith('.' + base)) {
      let label = host.slice(0, host.length - base.length - 1);
      // Real AWS shapes: NAME-ACCOUNT.s3-accesspoint.REGION, ACCOUNT.s3-control.REGION, BUCKET.s3.REGION
      const aws = /^(.+?)\.(?:s3-accesspoint|s3-control|s3)(?:[.-][a-z0-9-]+)?$/.exec(label);
      if (base.endsWith('amazonaws.com') && aws) label = aws[1]!;
      return label || undefined;
    }
  }
  return undefined;
}

/** Splits an access-point host label NAME-ACCOUNT into its parts, if it has that shape. */
export function accessPointHostLabel(label: string): { name: string; accountId: string } | undefined {
  const m = /^([a-z0-9][a-z0-9-]{1,48}[a-z0-9])-(\d{12})$/.exec(label);
  return m ? { name: m[1]!, accountId: m[2]! } : undefined;
}
