// The S3 data plane's stages in order: parse the operation → authenticate → resolve the bucket → authorize → handle.
// PostObject (a browser form upload) is the exception: its credentials are form fields, so it skips header
// authentication and the handler authenticates and authorizes the form itself (post-form-auth.ts).
import { parseS3Operation, type S3Operation } from '../../protocol/s3-operation.js';
import { authenticate } from '../authenticate.js';
import type { ApiResponse, RequestContext } from '../context.js';
import { header } from '../context.js';
import { resolveBucket } from './bucket-access.js';
import { authorizeS3, existingObjectTagContext } from './authorize-s3.js';
import { authorizeOwnAccount } from '../authorize-account.js';
import { createBucket, listBuckets } from './bucket.js';
import { dispatchBucketOperation, dispatchObjectOperation } from './dispatch.js';
import { requiredActions } from './s3-actions.js';

export async function handleS3(ctx: RequestContext): Promise<ApiResponse> {
  const parsed = parseOperation(ctx);
  if (parsed.op?.kind === 'PostObject') {
    const access = await resolveBucket(ctx, parsed.op.bucket, { fromHost: ctx.target.hostLabel !== undefined, operation: { kind: parsed.op.kind, objectLevel: false } });
    return dispatchBucketOperation(ctx, parsed.op, access);
  }
  // A request that does not parse is still authenticated first, so a bad signature is reported before
  // an unknown sub-resource, as before parsing moved ahead of authentication.
  await authenticate(ctx);
  if (!parsed.op) throw parsed.error;
  const op = parsed.op;
  if (op.kind === 'ListBuckets') {
    await authorizeOwnAccount(ctx, 's3:ListAllMyBuckets', 'arn:aws:s3:::*');
    return listBuckets(ctx);
  }
  if (op.kind === 'CreateBucket') {
    await authorizeOwnAccount(ctx, 's3:CreateBucket', `arn:aws:s3:::${op.bucket}`);
    return createBucket(ctx, op.bucket);
  }
  const access = await resolveBucket(ctx, op.bucket, { fromHost: ctx.target.hostLabel !== undefined, operation: { kind: op.kind, objectLevel: 'key' in op } });
  const key = 'key' in op ? op.key : undefined;
  const versionId = key !== undefined ? ctx.query.get('versionId') ?? undefined : undefined;
  const context = key !== undefined ? await existingObjectTagContext(ctx, access, key, versionId) : undefined;
  for (const { action } of requiredActions(ctx, op)) {
    await authorizeS3(ctx, access, { action, ...(key !== undefined ? { key } : {}), ...(versionId ? { versionId } : {}), ...(context ? { context } : {}) });
  }
  return 'key' in op ? dispatchObjectOperation(ctx, op, access) : dispatchBucketOperation(ctx, op, access);
}

function parseOperation(ctx: RequestContext): { op: S3Operation; error?: undefined } | { op?: undefined; error: unknown } {
  try {
    return {
      op: parseS3Operation({
        method: ctx.method,
        hostBucket: ctx.target.hostLabel,
        rawPath: ctx.rawPath,
        query: ctx.query,
        hasCopySource: header(ctx, 'x-amz-copy-source') !== undefined,
      }),
    };
  } catch (error) {
    return { error };
  }
}
