// GetPublicAccessBlock, PutPublicAccessBlock, DeletePublicAccessBlock: a bucket's S3 Block Public Access
// settings. They are enforced by PutBucketPolicy (BlockPublicPolicy), PutBucketAcl/PutObjectAcl
// (BlockPublicAcls) and authorization (RestrictPublicBuckets, iam/s3-authorization.ts).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutPublicAccessBlock.html
import { S3Error } from '../../core/errors.js';
import { el, textOf, xmlDocument } from '../../protocol/xml.js';
import type { PublicAccessBlock } from '../../storage/types.js';
import { emptyResponse, xmlResponse, type ApiResponse, type RequestContext } from '../context.js';
import type { BucketAccess } from './bucket-access.js';
import { readXmlBody } from './xml-body.js';

const settings = [
  ['BlockPublicAcls', 'blockPublicAcls'], ['IgnorePublicAcls', 'ignorePublicAcls'],
  ['BlockPublicPolicy', 'blockPublicPolicy'], ['RestrictPublicBuckets', 'restrictPublicBuckets'],
] as const;

export function getPublicAccessBlock(_ctx: RequestContext, access: BucketAccess): ApiResponse {
  const block = access.bucket.publicAccessBlock;
  if (!block) throw new S3Error('NoSuchPublicAccessBlockConfiguration', undefined, { BucketName: access.bucket.name });
  return xmlResponse(xmlDocument('PublicAccessBlockConfiguration', settings.map(([element, field]) => el(element, block[field])).join('')));
}

/** Settings left out of the document are false, as on AWS. */
export async function putPublicAccessBlock(ctx: RequestContext, access: BucketAccess): Promise<ApiResponse> {
  const body = await readXmlBody(ctx, 'PublicAccessBlockConfiguration');
  const block = {} as Record<keyof PublicAccessBlock, boolean>;
  for (const [element, field] of settings) block[field] = parseFlag(textOf(body, element));
  await ctx.services.meta.updateBucket(access.bucket.name, { publicAccessBlock: block });
  return emptyResponse(200);
}

export async function deletePublicAccessBlock(ctx: RequestContext, access: BucketAccess): Promise<ApiResponse> {
  await ctx.services.meta.updateBucket(access.bucket.name, { deletePublicAccessBlock: true });
  return emptyResponse(204);
}

function parseFlag(text: string | undefined): boolean {
  if (text === undefined) return false;
  const value = text.trim().toLowerCase();
  if (value !== 'true' && value !== 'false') throw new S3Error('MalformedXML');
  return value === 'true';
}
