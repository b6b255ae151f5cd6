// Object and bucket tagging: Get/Put/DeleteObjectTagging and Get/Put/DeleteBucketTagging.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectTagging.html
import { S3Error } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { childOf, childrenOf, el, textOf, wrap, xmlDocument } from '../../protocol/xml.js';
import type { Tag } from '../../storage/types.js';
import { emptyResponse, xmlResponse, type ApiResponse, type RequestContext } from '../context.js';
import type { BucketAccess } from './bucket-access.js';
import { loadReadableVersion, requestedVersionId } from './object-get.js';
import { tagCharacters, validateTags } from './object-headers.js';
import { readXmlBody } from './xml-body.js';
import { storeCall } from './store-errors.js';

export function taggingXml(tags: Tag[]): string {
  return xmlDocument('Tagging', wrap('TagSet', tags.map((t) => wrap('Tag', el('Key', t.key) + el('Value', t.value))).join('')));
}

/** The Tag elements of a Tagging body; a tag without Key or Value is MalformedXML. */
async function readTagSet(ctx: RequestContext): Promise<Tag[]> {
  const body = await readXmlBody(ctx, 'Tagging');
  const tagSet = childOf(body, 'TagSet');
  if (!tagSet) throw new S3Error('MalformedXML');
  return childrenOf(tagSet, 'Tag').map((tag) => {
    const key = textOf(tag, 'Key');
    const value = textOf(tag, 'Value');
    if (key === undefined || value === undefined) throw new S3Error('MalformedXML');
    return { key, value };
  });
}

async function readTagging(ctx: RequestContext, countMax: number): Promise<Tag[]> {
  const tags = await readTagSet(ctx);
  validateTags(tags, countMax);
  return tags;
}


/**
 * Bucket tags as S3 validates them: each tag in order (first error wins, with TagKey/TagValue
 * naming it), then the count. Sources: AWS answers recorded in localstack's AWS-validated
 * snapshots (test_tagging_validation) and the limits in the PutBucketTagging reference.
 */
function validateBucketTags(tags: Tag[]): void {
  const seen = new Set<string>();
  for (const { key, value } of tags) {
    if (seen.has(key)) throw new S3Error('InvalidTag', 'Cannot provide multiple Tags with the same key', { TagKey: key });
    seen.add(key);
    if (key.startsWith('aws:')) throw new S3Error('InvalidTag', 'System tags cannot be added/updated by requester', { TagKey: key });
    const keyLength = [...key].length;
    if (keyLength === 0 || keyLength > limits.tagKeyLengthMax || !tagCharacters.test(key)) {
      throw new S3Error('InvalidTag', 'The TagKey you have provided is invalid', { TagKey: key });
    }
    if ([...value].length > limits.tagValueLengthMax || !tagCharacters.test(value)) {
      throw new S3Error('InvalidTag', 'The TagValue you have provided is invalid', { TagKey: key, TagValue: value });
    }
  }
  if (tags.length > limits.tagsPerBucketMax) throw new S3Error('BadRequest', `Bucket tag count cannot be greater than ${limits.tagsPerBucketMax}`);
}

function versionHeader(versionId: string, access: BucketAccess): Record<string, string> {
  return access.bucket.versioning !== 'Unversioned' || versionId !== 'null' ? { 'x-amz-version-id': versionId } : {};
}

export async function getObjectTagging(ctx: RequestContext, access: BucketAccess, key: string): Promise<ApiResponse> {
  const version = await loadReadableVersion(ctx, access, key);
  // A tag set has no order S3 promises (its order is neither the request's nor documented); answer in key
  // order, so a set reads back the same however it was written (x-amz-tagging, PutObjectTagging, a copy).
  const byKey = [...version.tags].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return xmlResponse(taggingXml(byKey), 200, versionHeader(version.versionId, access));
}

export async function putObjectTagging(ctx: RequestContext, access: BucketAccess, key: string): Promise<ApiResponse> {
  const tags = await readTagging(ctx, limits.tagsPerObjectMax);
  const current = await loadReadableVersion(ctx, access, key);
  const version = await storeCall(ctx.services.meta.putObjectTags(access.bucket.name, key, requestedVersionId(ctx, access.bucket) ?? current.versionId, tags), { bucket: access.bucket.name, key });
  return emptyResponse(200, versionHeader(version.versionId, access));
}

export async function deleteObjectTagging(ctx: RequestContext, access: BucketAccess, key: string): Promise<ApiResponse> {
  const current = await loadReadableVersion(ctx, access, key);
  const version = await storeCall(ctx.services.meta.putObjectTags(access.bucket.name, key, requestedVersionId(ctx, access.bucket) ?? current.versionId, []), { bucket: access.bucket.name, key });
  return emptyResponse(204, versionHeader(version.versionId, access));
}

export function getBucketTagging(_ctx: RequestContext, access: BucketAccess): ApiResponse {
  const tags = access.bucket.tags;
  if (!tags || tags.length === 0) throw new S3Error('NoSuchTagSet', undefined, { BucketName: access.bucket.name });
  return xmlResponse(taggingXml(tags));
}

export async function putBucketTagging(ctx: RequestContext, access: BucketAccess): Promise<ApiResponse> {
  const tags = await readTagSet(ctx);
  validateBucketTags(tags);
  await ctx.services.meta.updateBucket(access.bucket.name, { tags });
  return emptyResponse(204);
}

export async function deleteBucketTagging(ctx: RequestContext, access: BucketAccess): Promise<ApiResponse> {
  await ctx.services.meta.updateBucket(access.bucket.name, { deleteTags: true });
  return emptyResponse(204);
}
