// Bucket policies: Put (validated by the policy engine), Get, Delete, GetBucketPolicyStatus.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html
import { S3Error } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { el, xmlDocument } from '../../protocol/xml.js';
import { parsePolicy } from '../../iam/policy/parse-policy.js';
import { PolicyError } from '../../iam/policy/policy-error.js';
import type { ParsedPolicy } from '../../iam/policy/parsed-policy.js';
import { emptyResponse, xmlResponse, type ApiResponse, type RequestContext } from '../context.js';
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
  parseResourcePolicy(text);
  await ctx.services.meta.updateBucket(access.bucket.name, { policy: text });
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

/** A policy is public when it allows everyone ("*") without a condition that narrows who. */
export function policyIsPublic(policyText: string): boolean {
  const document = JSON.parse(policyText) as { Statement?: unknown };
  const statements = (Array.isArray(document.Statement) ? document.Statement : [document.Statement]) as Record<string, unknown>[];
  return statements.some((s) => s && s['Effect'] === 'Allow' && s['Condition'] === undefined &&
    (s['Principal'] === '*' || (typeof s['Principal'] === 'object' && s['Principal'] !== null && [(s['Principal'] as Record<string, unknown>)['AWS']].flat().includes('*'))));
}
