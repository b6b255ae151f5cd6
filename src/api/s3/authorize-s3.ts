// S3 authorization stage: every request's actions go through one decision, with the reason on denial.
import { S3Error } from '../../core/errors.js';
import type { RequestContext } from '../context.js';
import type { BucketAccess } from './bucket-access.js';

export interface S3AuthorizationRequest {
  action: string;
  /** Object key for object actions; absent for bucket actions. */
  key?: string;
  versionId?: string;
  /** Extra condition keys (s3:prefix, s3:x-amz-copy-source, …). */
  context?: Record<string, string | string[] | undefined>;
}

/** Throws AccessDenied unless the caller may perform the action on the bucket or key. */
export async function authorizeS3(ctx: RequestContext, access: BucketAccess, request: S3AuthorizationRequest): Promise<void> {
  const principal = ctx.principal;
  if (principal.kind === 'Anonymous' || principal.accountId !== access.bucket.accountId) {
    throw new S3Error('AccessDenied', `${principal.arn === '*' ? 'Anonymous' : 'User: ' + principal.arn} is not authorized to perform: ${request.action}`);
  }
}
