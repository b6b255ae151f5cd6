// Object and bucket tagging: Get/Put/DeleteObjectTagging and Get/Put/DeleteBucketTagging.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectTagging.html
import { S3Error } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { childOf, childrenOf, el, textOf, wrap, xmlDocument } from '../../protocol/xml.js';
import type { Tag } from '../../storage/types.js';
import { emptyResponse, xmlResponse, type ApiResponse, type RequestContext } from '../context.js';
import type { BucketAccess } from './bucket-access.js';
import { loadReadableVersion, requestedVersionId } from './object-get.js';
import { validateTags } from './object-headers.js';
import { readXmlBody } from './xml-body.js';
import { storeCall } from './store-errors.js';

export function taggingXml(tags: Tag[]): string {
  return xmlDocument('Tagging', wrap('TagSet', tags.map((t) => wrap('Tag', el('Key', t.key) + el('Value', t.value))).join('')));
}

async function readTagging(ctx: RequestContext, countMax: number): Promise<Tag[]> {
  const body = await readXmlBody(ctx, 'Tagging');
  const tagSet = childOf(body, 'TagSet');
  if (!tagSet) throw new S3Error('MalformedXML');
  const tags = childrenOf(tagSet, 'Tag').map((tag) => {
    const key = textOf(tag, 'Key');
    const value = textOf(tag, 'Value');
    if (key === undefined || value === undefined) throw new S3Error('MalformedXML');
    return { key, value };
  });
  validateTags(tags, countMax);
  return tags;
}

function versionHeader(versionId: string, access: BucketAccess): Record<string, string> {
  return access.bucket.versioning !== 'Unversioned' || versionId !== 'null' ? { 'x-amz-version-id': versionId } : {};
}

export async function getObjectTagging(ctx: RequestContext, access: BucketAccess, key: string): Promise<ApiResponse> {
  const version = await loadReadableVersion(ctx, access, key);
  return xmlResponse(taggingXml(version.tags), 200, versionHeader(version.versionId, access));
}

export async function putObjectTagging(ctx: RequestContext, access: BucketAccess, key: string): Promise<ApiResponse> {
  const tags = await readTagging(ctx, limits.tagsPerObjectMax);
  const current = await loadReadableVersion(ctx, access, key);
  const version = await storeCall(ctx.services.meta.putObjectTags(access.bucket.name, key, requestedVersionId(ctx) ?? current.versionId, tags), { bucket: access.bucket.name, key });
  return emptyResponse(200, versionHeader(version.versionId, access));
}

export async function deleteObjectTagging(ctx: RequestContext, access: BucketAccess, key: string): Promise<ApiResponse> {
  const current = await loadReadableVersion(ctx, access, key);
  const version = await storeCall(ctx.services.meta.putObjectTags(access.bucket.name, key, requestedVersionId(ctx) ?? current.versionId, []), { bucket: access.bucket.name, key });
  return emptyResponse(204, versionHeader(version.versionId, access));
}

export function getBucketTagging(_ctx: RequestContext, access: BucketAccess): ApiResponse {
  const tags = access.bucket.tags;
  if (!tags || tags.length === 0) throw new S3Error('NoSuchTagSet', undefined, { BucketName: access.bucket.name });
  return xmlResponse(taggingXml(tags));
}

export async function putBucketTagging(ctx: RequestContext, access: BucketAccess): Promise<ApiResponse> {
  const tags = await readTagging(ctx, limits.tagsPerBucketMax);
  await ctx.services.meta.updateBucket(access.bucket.name, { tags });
  return emptyResponse(204);
}

export async function deleteBucketTagging(ctx: RequestContext, access: BucketAccess): Promise<ApiResponse> {
  await ctx.services.meta.updateBucket(access.bucket.name, { deleteTags: true });
  return emptyResponse(204);
}
