// Amazon Resource Names: parse and format (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE).

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function parseArn(value: string): Arn | undefined {
  if (!value.startsWith('arn:')) return undefined;
  const parts = value.split(':');
  if (parts.length < 6) return undefined;
  const [, partition, service, region, account] = parts as [string, string, string, string, string];
  if (!partition || !service) return undefined;
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}

export function formatArn(arn: Arn): string {
  return `arn:${arn.partition}:${arn.service}:${arn.region}:${arn.account}:${arn.resource}`;
}

export const s3BucketArn = (bucket: string): string => `arn:aws:s3:::${bucket}`;
export const s3ObjectArn = (bucket: string, key: string): string => `arn:aws:s3:::${bucket}/${key}`;
export const accessPointArn = (region: string, account: string, name: string): string =>
  `arn:aws:s3:${region}:${account}:accesspoint/${name}`;
export const accountRootArn = (account: string): string => `arn:aws:iam::${account}:root`;
