// The S3 data plane's stages in order: parse the operation → authenticate → resolve the bucket → authorize → handle.
// PostObject (a browser form upload) is the exception: its credentials are form fields, so it skips header
// authentication and the handler authenticates and authorizes the form itself (post-form-auth.ts). The CORS
// preflight (OPTIONS) is unauthenticated; an actual request with an Origin gets the bucket's CORS headers.
import { S3Error } from '../../core/errors.js';
import { aclScopeOf } from '../../iam/acl-permissions.js';
import { parseS3Operation, type S3Operation } from '../../protocol/s3-operation.js';
import { authenticate } from '../authenticate.js';
import type { ApiResponse, RequestContext } from '../context.js';
import { header } from '../context.js';
import { resolveBucket, type BucketAccess } from './bucket-access.js';
import { accessDenied, decideS3, objectFacts, uploadFacts, type S3AuthorizationRequest } from './authorize-s3.js';
import { authorizeOwnAccount } from '../authorize-account.js';
import { createBucket, listBuckets } from './bucket.js';
import { actualRequestCorsHeaders, preflight } from './cors.js';
import { dispatchBucketOperation, dispatchObjectOperation } from './dispatch.js';
import { requiredActions } from './s3-actions.js';

type Parsed = { op: S3Operation; error?: undefined } | { op?: undefined; error: unknown };

export async function handleS3(ctx: RequestContext): Promise<ApiResponse> {
  const parsed = parseOperation(ctx);
  if (parsed.op?.kind === 'OptionsPreflight') {
    const { bucket, key } = parsed.op;
    return preflight(ctx, await resolveQuietly(ctx, bucket), key);
  }
  if (header(ctx, 'origin') === undefined) return handleRequest(ctx, parsed);
  // A cross-origin request: the matching CORS rule's headers go on the answer, an error's included.
  let response: ApiResponse;
  try {
    response = await handleRequest(ctx, parsed);
  } catch (error) {
    if (error instanceof S3Error) Object.assign(error.headers, await corsHeaders(ctx, parsed));
    throw error;
  }
  return { ...response, headers: { ...response.headers, ...(await corsHeaders(ctx, parsed)) } };
}

async function handleRequest(ctx: RequestContext, parsed: Parsed): Promise<ApiResponse> {
  if (parsed.op?.kind === 'PostObject') {
    const access = await resolveBucket(ctx, parsed.op.bucket, { fromHost: ctx.target.hostLabel !== undefined, operation: { kind: parsed.op.kind, objectLevel: false } });
    checkExpectedBucketOwner(ctx, access);
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
  if (op.kind === 'OptionsPreflight') throw new Error('OPTIONS is answered before authentication');
  if (op.kind === 'CreateBucket') {
    await authorizeOwnAccount(ctx, 's3:CreateBucket', `arn:aws:s3:::${op.bucket}`);
    return createBucket(ctx, op.bucket);
  }
  const access = await resolveBucket(ctx, op.bucket, { fromHost: ctx.target.hostLabel !== undefined, operation: { kind: op.kind, objectLevel: 'key' in op } });
  checkExpectedBucketOwner(ctx, access);
  await authorizeOperation(ctx, op, access);
  return 'key' in op ? dispatchObjectOperation(ctx, op, access) : dispatchBucketOperation(ctx, op, access);
}

/** Writes that create the object they name: the bucket's ACL decides them (and the tags they set). */
const creatingOperations = new Set(['PutObject', 'CopyObject', 'CreateMultipartUpload']);

/**
 * Every action the operation needs (s3-actions.ts), with what the decision needs to know about the object or
 * upload it names. A GetObject/HeadObject of a key that does not exist is answered 404 rather than 403 when the
 * caller may list the bucket, as AWS does.
 */
async function authorizeOperation(ctx: RequestContext, op: Exclude<S3Operation, { kind: 'ListBuckets' | 'CreateBucket' | 'OptionsPreflight' }>, access: BucketAccess): Promise<void> {
  const actions = requiredActions(ctx, op).map(({ action }) => action);
  if (!('key' in op)) {
    for (const action of actions) await authorize(ctx, access, { action });
    return;
  }
  const { key } = op;
  const versionId = ctx.query.get('versionId') ?? undefined;
  const createsObject = creatingOperations.has(op.kind);
  const scopes = actions.map((action) => aclScopeOf(action, true, createsObject));
  const facts = await objectFacts(ctx.services.meta, access, key, versionId, scopes.includes('object'));
  const upload = scopes.includes('upload') ? await uploadFacts(ctx, access, key) : undefined;
  for (const action of actions) {
    const request: S3AuthorizationRequest = {
      action, key, ...(versionId ? { versionId } : {}), ...facts, ...(upload ? { upload } : {}), ...(createsObject ? { createsObject } : {}),
    };
    const decision = await decideS3(ctx, access, request);
    if (decision.effect === 'Allow') continue;
    if (decision.effect === 'ImplicitDeny' && (op.kind === 'GetObject' || op.kind === 'HeadObject') && (await missingButListable(ctx, access, key, versionId))) return;
    throw accessDenied(ctx, access, request, decision);
  }
}

async function authorize(ctx: RequestContext, access: BucketAccess, request: S3AuthorizationRequest): Promise<void> {
  const decision = await decideS3(ctx, access, request);
  if (decision.effect !== 'Allow') throw accessDenied(ctx, access, request, decision);
}

/**
 * "If the object you request doesn't exist, the error that Amazon S3 returns depends on whether you also have
 * the s3:ListBucket permission": 404 with it, 403 without (API_GetObject.html, Permissions). The key is the
 * s3:prefix of that check, so a ListBucket grant confined to a prefix covers the keys under it, as on AWS
 * (https://github.com/ceph/ceph/pull/68577, Ceph s3-tests test_head_object_404_with_policy_prefix).
 */
async function missingButListable(ctx: RequestContext, access: BucketAccess, key: string, versionId: string | undefined): Promise<boolean> {
  const version = await ctx.services.meta.getObjectVersion(access.bucket.name, key, versionId);
  if (version && !version.isDeleteMarker) return false;
  return (await decideS3(ctx, access, { action: 's3:ListBucket', context: { 's3:prefix': key } })).effect === 'Allow';
}

/** x-amz-expected-bucket-owner: a bucket of another account is 403 Access Denied (AWS says no more). */
function checkExpectedBucketOwner(ctx: RequestContext, access: BucketAccess): void {
  const expected = header(ctx, 'x-amz-expected-bucket-owner');
  if (expected !== undefined && expected !== access.bucket.accountId) throw new S3Error('AccessDenied');
}

/** The bucket a preflight or CORS answer is about, or undefined when there is none (or it cannot be named). */
async function resolveQuietly(ctx: RequestContext, name: string): Promise<BucketAccess | undefined> {
  try {
    return await resolveBucket(ctx, name, { fromHost: ctx.target.hostLabel !== undefined });
  } catch (error) {
    if (error instanceof S3Error) return undefined;
    throw error;
  }
}

async function corsHeaders(ctx: RequestContext, parsed: Parsed): Promise<Record<string, string>> {
  const op = parsed.op;
  if (!op || op.kind === 'ListBuckets') return {};
  const access = await resolveQuietly(ctx, op.bucket);
  return actualRequestCorsHeaders(ctx, access?.bucket.cors);
}

function parseOperation(ctx: RequestContext): Parsed {
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
