// Resolves the bucket a request names (a bucket name, later also an access point alias or ARN host).
import { S3Error } from '../../core/errors.js';
import type { BucketRecord } from '../../storage/types.js';
import type { RequestContext } from '../context.js';

/** The bucket a request reaches and, when it came through one, the access point. */
export interface BucketAccess {
  /** The name the request used (bucket name or alias). */
  addressedAs: string;
  bucket: BucketRecord;
}

export async function resolveBucket(ctx: RequestContext, name: string): Promise<BucketAccess> {
  const bucket = await ctx.services.meta.getBucket(name);
  if (!bucket) throw new S3Error('NoSuchBucket', undefined, { BucketName: name });
  return { addressedAs: name, bucket };
}
