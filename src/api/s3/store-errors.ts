// Maps the store's expected conflicts onto S3 errors, in one place.
import { S3Error } from '../../core/errors.js';
import { StoreConflict } from '../../storage/meta-store.js';

/** Awaits a store call and converts StoreConflict into the S3 error a client expects. */
export async function storeCall<T>(call: Promise<T>, names: { bucket?: string; key?: string; uploadId?: string; versionId?: string; condition?: string } = {}): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (!(error instanceof StoreConflict)) throw error;
    switch (error.reason) {
      case 'NoSuchBucket': return Promise.reject(new S3Error('NoSuchBucket', undefined, { BucketName: names.bucket }));
      case 'NoSuchKey': return Promise.reject(new S3Error('NoSuchKey', undefined, { Key: names.key }));
      case 'NoSuchVersion': return Promise.reject(new S3Error('NoSuchVersion', undefined, { Key: names.key, VersionId: names.versionId }));
      case 'NoSuchUpload': return Promise.reject(new S3Error('NoSuchUpload', undefined, { UploadId: names.uploadId }));
      case 'PreconditionFailed': return Promise.reject(new S3Error('PreconditionFailed', undefined, { Condition: names.condition ?? 'If-Match' }));
      case 'BucketNotEmpty': return Promise.reject(new S3Error('BucketNotEmpty', undefined, { BucketName: names.bucket }));
      case 'BucketExists': return Promise.reject(new S3Error('BucketAlreadyExists', undefined, { BucketName: names.bucket }));
      default: throw error;
    }
  }
}
