// Exhaustive dispatch of a parsed S3 operation to its handler; the compiler checks every kind is handled.
import type { BucketOperation, ObjectOperation } from '../../protocol/s3-operation.js';
import type { ApiResponse, RequestContext } from '../context.js';
import type { BucketAccess } from './bucket-access.js';
import { deleteBucket, getBucketLocation, headBucket } from './bucket.js';
import {
  bucketProbe, deleteBucketEncryption, deleteBucketOwnershipControls, getBucketEncryption,
  getBucketOwnershipControls, getBucketVersioning, putBucketEncryption,
  putBucketOwnershipControls, putBucketVersioning,
} from './bucket-config.js';
import { getBucketAcl, getObjectAcl, putBucketAcl, putObjectAcl } from './acl.js';
import { deleteBucketCors, getBucketCors, putBucketCors } from './cors.js';
import { deleteBucketPolicy, getBucketPolicy, getBucketPolicyStatus, putBucketPolicy } from './bucket-policy.js';
import { listObjects, listObjectsV2 } from './list-objects.js';
import { listObjectVersions } from './list-versions.js';
import { listMultipartUploads, listParts } from './list-uploads.js';
import { abortMultipartUpload, completeMultipartUpload, createMultipartUpload } from './multipart.js';
import { getObjectAttributes } from './object-attributes.js';
import { copyObject } from './object-copy.js';
import { deleteObject, deleteObjects } from './object-delete.js';
import { getObject } from './object-get.js';
import { putObject } from './object-put.js';
import { postObject } from './post-object.js';
import { deletePublicAccessBlock, getPublicAccessBlock, putPublicAccessBlock } from './public-access-block.js';
import {
  deleteBucketTagging, deleteObjectTagging, getBucketTagging, getObjectTagging, putBucketTagging, putObjectTagging,
} from './tagging.js';
import { uploadPart, uploadPartCopy } from './upload-part.js';

export async function dispatchBucketOperation(ctx: RequestContext, op: BucketOperation, access: BucketAccess): Promise<ApiResponse> {
  switch (op.kind) {
    case 'CreateBucket': throw new Error('CreateBucket is handled before bucket resolution');
    case 'DeleteBucket': return deleteBucket(ctx, access);
    case 'HeadBucket': return headBucket(ctx, access);
    case 'ListObjects': return listObjects(ctx, access);
    case 'ListObjectsV2': return listObjectsV2(ctx, access);
    case 'ListObjectVersions': return listObjectVersions(ctx, access);
    case 'ListMultipartUploads': return listMultipartUploads(ctx, access);
    case 'GetBucketLocation': return getBucketLocation(ctx, access);
    case 'GetBucketVersioning': return getBucketVersioning(ctx, access);
    case 'PutBucketVersioning': return putBucketVersioning(ctx, access);
    case 'GetBucketPolicy': return getBucketPolicy(ctx, access);
    case 'PutBucketPolicy': return putBucketPolicy(ctx, access);
    case 'DeleteBucketPolicy': return deleteBucketPolicy(ctx, access);
    case 'GetBucketPolicyStatus': return getBucketPolicyStatus(ctx, access);
    case 'GetBucketTagging': return getBucketTagging(ctx, access);
    case 'PutBucketTagging': return putBucketTagging(ctx, access);
    case 'DeleteBucketTagging': return deleteBucketTagging(ctx, access);
    case 'GetBucketOwnershipControls': return getBucketOwnershipControls(ctx, access);
    case 'PutBucketOwnershipControls': return putBucketOwnershipControls(ctx, access);
    case 'DeleteBucketOwnershipControls': return deleteBucketOwnershipControls(ctx, access);
    case 'GetBucketEncryption': return getBucketEncryption();
    case 'PutBucketEncryption': return putBucketEncryption(ctx);
    case 'DeleteBucketEncryption': return deleteBucketEncryption();
    case 'GetBucketAcl': return getBucketAcl(ctx, access);
    case 'PutBucketAcl': return putBucketAcl(ctx, access);
    case 'DeleteObjects': return deleteObjects(ctx, access);
    // Reached without header authentication: the form carries its credentials (handle-s3.ts).
    case 'PostObject': return postObject(ctx, access);
    case 'GetPublicAccessBlock': return getPublicAccessBlock(ctx, access);
    case 'PutPublicAccessBlock': return putPublicAccessBlock(ctx, access);
    case 'DeletePublicAccessBlock': return deletePublicAccessBlock(ctx, access);
    case 'GetBucketCors': return getBucketCors(ctx, access);
    case 'PutBucketCors': return putBucketCors(ctx, access);
    case 'DeleteBucketCors': return deleteBucketCors(ctx, access);
    case 'GetBucketLifecycleConfiguration':
    case 'GetBucketWebsite':
    case 'GetBucketLogging':
    case 'GetBucketNotificationConfiguration':
    case 'GetBucketRequestPayment':
    case 'GetBucketAccelerateConfiguration':
    case 'GetObjectLockConfiguration':
    case 'GetBucketReplication':
      return bucketProbe(op.kind, access.bucket.name);
  }
}

export async function dispatchObjectOperation(ctx: RequestContext, op: ObjectOperation, access: BucketAccess): Promise<ApiResponse> {
  const { key } = op;
  switch (op.kind) {
    case 'GetObject':
    case 'HeadObject': return getObject(ctx, access, key);
    case 'PutObject': return putObject(ctx, access, key);
    case 'CopyObject': return copyObject(ctx, access, key);
    case 'DeleteObject': return deleteObject(ctx, access, key);
    case 'GetObjectTagging': return getObjectTagging(ctx, access, key);
    case 'PutObjectTagging': return putObjectTagging(ctx, access, key);
    case 'DeleteObjectTagging': return deleteObjectTagging(ctx, access, key);
    case 'GetObjectAcl': return getObjectAcl(ctx, access, key);
    case 'PutObjectAcl': return putObjectAcl(ctx, access, key);
    case 'GetObjectAttributes': return getObjectAttributes(ctx, access, key);
    case 'CreateMultipartUpload': return createMultipartUpload(ctx, access, key);
    case 'UploadPart': return uploadPart(ctx, access, key);
    case 'UploadPartCopy': return uploadPartCopy(ctx, access, key);
    case 'CompleteMultipartUpload': return completeMultipartUpload(ctx, access, key);
    case 'AbortMultipartUpload': return abortMultipartUpload(ctx, access, key);
    case 'ListParts': return listParts(ctx, access, key);
  }
}
