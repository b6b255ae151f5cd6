// Bucket policies: Put (validated by the policy engine; a public one refused under BlockPublicPolicy), Get,
// Delete, GetBucketPolicyStatus ("public" as S3 Block Public Access defines it, iam/policy/public-policy.ts).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html
import { S3Error } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { el, xmlDocument } from '../../protocol/xml.js';
import { parsePolicy } from '../../iam/policy/parse-policy.js';
import { PolicyError } from '../../iam/policy/policy-error.js';
import type { ParsedPolicy } from '../../iam/policy/parsed-policy.js';
import { isPublicPolicy, type PublicPolicyKind } from '../../iam/policy/public-policy.js';
import { emptyResponse, header, xmlResponse, type ApiResponse, type RequestContext } from '../context.js';
import type { BucketAccess } from './bucket-access.js';
import { readSmallBody } from './payload.js';

/** Parses a resource policy, turning grammar errors into S3's MalformedPolicy. */
export function parseResourcePolicy(text: string): ParsedPolicy {
  try {
    return parsePolicy(text, { kind: 'resource', maxBytes: limits.policyBytesMax });
  } catch (error) {
    if (error instanceof PolicyError) throw new S3Error('MalformedPolicy', `${error.message} (${error.detail})`);
    throw error;
  }
}

export async function putBucketPolicy(ctx: RequestContext, access: BucketAccess): Promise<ApiResponse> {
  const text = (await readSmallBody(ctx, limits.policyBytesMax)).toString('utf8');
  const policy = parseResourcePolicy(text);
  if (access.bucket.publicAccessBlock?.blockPublicPolicy && isPublicPolicy(policy, 'bucket')) {
    throw new S3Error('AccessDenied', `User: ${ctx.principal.arn} is not authorized to perform: s3:PutBucketPolicy on resource: "arn:aws:s3:::${access.bucket.name}" because public policies are blocked by the BlockPublicPolicy block public access setting.`);
  }
  // x-amz-confirm-remove-self-bucket-access: true gives up the owner root's implicit access to this policy.
  const removesOwnerAccess = header(ctx, 'x-amz-confirm-remove-self-bucket-access')?.trim().toLowerCase() === 'true';
  await ctx.services.meta.updateBucket(access.bucket.name, { policy: text, policyRemovesOwnerAccess: removesOwnerAccess });
  return emptyResponse(204);
}

export function getBucketPolicy(_ctx: RequestContext, access: BucketAccess): ApiResponse {
  if (access.bucket.policy === undefined) throw new S3Error('NoSuchBucketPolicy', undefined, { BucketName: access.bucket.name });
  return { status: 200, headers: { 'content-type': 'application/json' }, body: access.bucket.policy };
}

export async function deleteBucketPolicy(ctx: RequestContext, access: BucketAccess): Promise<ApiResponse> {
  await ctx.services.meta.updateBucket(access.bucket.name, { deletePolicy: true });
  return emptyResponse(204);
}

export function getBucketPolicyStatus(_ctx: RequestContext, access: BucketAccess): ApiResponse {
  if (access.bucket.policy === undefined) throw new S3Error('NoSuchBucketPolicy', undefined, { BucketName: access.bucket.name });
  return xmlResponse(xmlDocument('PolicyStatus', el('IsPublic', policyIsPublic(access.bucket.policy))));
}

/**
 * Whether a stored bucket or access point policy is public (GetBucketPolicyStatus, access point
 * PolicyStatus). An access point with a VPC network origin is never public, whatever its policy says;
 * callers decide that before asking.
 */
export function policyIsPublic(policyText: string, kind: PublicPolicyKind = 'bucket'): boolean {
  return isPublicPolicy(parseResourcePolicy(policyText), kind);
}
