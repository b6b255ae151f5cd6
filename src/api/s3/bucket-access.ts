// Resolves the bucket a request names: a bucket, an access point alias (path or virtual-host style),
// an access point ARN host (NAME-ACCOUNT.HOST) or an access point ARN in x-amz-copy-source.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-alias.html
import { S3Error } from '../../core/errors.js';
import { parseArn } from '../../core/arn.js';
import { accessPointHostLabel } from '../../protocol/request-target.js';
import type { AccessPointRecord } from '../../storage/iam-store.js';
import type { BucketRecord } from '../../storage/types.js';
import type { RequestContext } from '../context.js';

/** The bucket a request reaches and, when it came through one, the access point. */
export interface BucketAccess {
  /** The name the request used (bucket name, alias, or access point name for ARN hosts). */
  addressedAs: string;
  bucket: BucketRecord;
  accessPoint?: AccessPointRecord;
}

/**
 * Bucket operations AWS serves through access points (object operations always pass).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-usage-examples.html
 */
const bucketOperationsThroughAccessPoints = new Set([
  'HeadBucket', 'ListObjects', 'ListObjectsV2', 'ListMultipartUploads', 'GetBucketLocation', 'GetBucketAcl',
  'GetBucketPolicy', 'GetBucketCors', 'GetBucketNotificationConfiguration', 'DeleteObjects',
]);

export interface ResolveOptions {
  /** The name came from the Host header (so NAME-ACCOUNT may be an access point ARN host). */
  fromHost?: boolean;
  /** The operation, to refuse bucket operations that access points do not serve. */
  operation?: { kind: string; objectLevel: boolean };
}

export async function resolveBucket(ctx: RequestContext, name: string, options: ResolveOptions = {}): Promise<BucketAccess> {
  const accessPoint = await findAccessPoint(ctx, name, options.fromHost ?? false);
  if (accessPoint) {
    const op = options.operation;
    if (op && !op.objectLevel && !bucketOperationsThroughAccessPoints.has(op.kind)) {
      throw new S3Error('InvalidRequest', `${op.kind} is not supported through an access point; address the bucket itself.`);
    }
    const bucket = await ctx.services.meta.getBucket(accessPoint.bucket);
    if (!bucket) throw new S3Error('NoSuchBucket', undefined, { BucketName: accessPoint.bucket });
    return { addressedAs: name, bucket, accessPoint };
  }
  const bucket = await ctx.services.meta.getBucket(name);
  if (!bucket) throw new S3Error('NoSuchBucket', undefined, { BucketName: name });
  return { addressedAs: name, bucket };
}

async function findAccessPoint(ctx: RequestContext, name: string, fromHost: boolean): Promise<AccessPointRecord | undefined> {
  const { iam } = ctx.services;
  if (name.endsWith('-s3alias')) {
    const accessPoint = await iam.getAccessPointByAlias(name);
    if (!accessPoint) throw new S3Error('NoSuchBucket', undefined, { BucketName: name });
    return accessPoint;
  }
  if (name.startsWith('arn:')) {
    const arn = parseArn(name);
    const m = arn && arn.service === 's3' ? /^accesspoint[/:]([a-z0-9-]+)$/.exec(arn.resource) : null;
    const accessPoint = m ? await iam.getAccessPoint(arn!.account, m[1]!) : undefined;
    if (!accessPoint || accessPoint.region !== arn!.region) throw new S3Error('NoSuchAccessPoint');
    return accessPoint;
  }
  if (fromHost) {
    const label = accessPointHostLabel(name);
    if (label) return iam.getAccessPoint(label.accountId, label.name);
  }
  return undefined;
}
