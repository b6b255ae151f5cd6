// DeleteObject and DeleteObjects: permanent version deletes, delete markers, quiet mode, per-key results.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
import { S3Error } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { el, childrenOf, textOf, wrap, xmlDocument } from '../../protocol/xml.js';
import { emptyResponse, header, xmlResponse, type ApiResponse, type RequestContext } from '../context.js';
import type { BucketAccess } from './bucket-access.js';
import { writerInfo } from './blob-write.js';
import { readWriteConditions, writeConditionName } from './conditions.js';
import { requestedVersionId } from './object-get.js';
import { readXmlBody } from './xml-body.js';
import { storeCall } from './store-errors.js';
import { authorizeS3 } from './authorize-s3.js';

export async function deleteObject(ctx: RequestContext, access: BucketAccess, key: string): Promise<ApiResponse> {
  const versionId = requestedVersionId(ctx, access.bucket);
  const conditions = await readWriteConditions(ctx, access.bucket.name, key);
  const result = await storeCall(ctx.services.meta.deleteObject({
    bucket: access.bucket.name, key, versionId, writer: writerInfo(ctx), conditions,
  }), { bucket: access.bucket.name, key, ...(versionId ? { versionId } : {}), condition: writeConditionName(conditions) });
  const headers: Record<string, string> = {};
  if (result.versionId !== undefined && (access.bucket.versioning !== 'Unversioned' || versionId !== undefined)) headers['x-amz-version-id'] = result.versionId;
  if (result.deleteMarker) headers['x-amz-delete-marker'] = 'true';
  return emptyResponse(204, headers);
}

export async function deleteObjects(ctx: RequestContext, access: BucketAccess): Promise<ApiResponse> {
  if (header(ctx, 'content-md5') === undefined && !Object.keys(ctx.headers).some((h) => h.startsWith('x-amz-checksum-') || h === 'x-amz-sdk-checksum-algorithm')) {
    throw new S3Error('InvalidRequest', 'Missing required header for this request: Content-MD5 or x-amz-checksum-*');
  }
  const body = await readXmlBody(ctx, 'Delete');
  const quiet = textOf(body, 'Quiet')?.trim().toLowerCase() === 'true';
  const objects = childrenOf(body, 'Object');
  if (objects.length === 0 || objects.length > limits.deleteObjectsKeysMax) throw new S3Error('MalformedXML');
  let results = '';
  for (const object of objects) {
    const key = textOf(object, 'Key');
    if (key === undefined) throw new S3Error('MalformedXML');
    const versionId = textOf(object, 'VersionId');
    try {
      if (versionId === '') throw new S3Error('NoSuchVersion', 'The specified version does not exist.');
      await authorizeS3(ctx, access, { action: versionId !== undefined ? 's3:DeleteObjectVersion' : 's3:DeleteObject', key, ...(versionId ? { versionId } : {}) });
      const result = await storeCall(ctx.services.meta.deleteObject({ bucket: access.bucket.name, key, versionId, writer: writerInfo(ctx) }), { bucket: access.bucket.name, key });
      if (quiet) continue;
      const marker = result.deleteMarker
        ? el('DeleteMarker', 'true') + el(versionId !== undefined ? 'VersionId' : 'DeleteMarkerVersionId', result.versionId)
        : '';
      results += wrap('Deleted', el('Key', key) + (versionId !== undefined ? el('VersionId', versionId) : '') + marker);
    } catch (error) {
      if (!(error instanceof S3Error) || error.status >= 500) throw error;
      results += wrap('Error', el('Key', key) + (versionId !== undefined ? el('VersionId', versionId) : '') + el('Code', error.code) + el('Message', error.message));
    }
  }
  return xmlResponse(xmlDocument('DeleteResult', results));
}
