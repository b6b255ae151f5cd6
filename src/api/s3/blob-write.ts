// Streams a verified payload into a new blob; the blob is discarded if anything fails before commit.
import { S3Error } from '../../core/errors.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { StoreConflict } from '../../storage/meta-store.js';
import type { BucketRecord, NewObjectVersion, ObjectVersion, StoredChecksum, WriteConditions, WriterInfo } from '../../storage/types.js';
import type { RequestContext } from '../context.js';
import type { Payload, PayloadResult } from './payload.js';
import { writeConditionName } from './conditions.js';
import { storeCall } from './store-errors.js';

export interface WrittenBlob {
  blobId: string;
  sizeBytes: number;
  payload: PayloadResult;
}

export async function writePayloadToBlob(blobs: BlobStore, payload: Payload): Promise<WrittenBlob> {
  const writer = await blobs.create();
  try {
    for await (const chunk of payload.chunks()) await writer.write(chunk);
    const { blobId, sizeBytes } = await writer.finish();
    return { blobId, sizeBytes, payload: payload.result };
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/**
 * Runs `commit` with a freshly written blob and deletes the blob when the commit was refused
 * (a precondition, a missing bucket). Other failures leave it to the start-up orphan sweep,
 * since the commit's outcome is then unknown.
 */
export async function commitOrDiscard<T>(blobs: BlobStore, blobId: string, commit: () => Promise<T>): Promise<T> {
  try {
    return await commit();
  } catch (error) {
    if (error instanceof StoreConflict || error instanceof S3Error) await blobs.delete(blobId).catch(() => undefined);
    throw error;
  }
}

/** Who is writing, for the version record and the event: what delivery records show later. */
export function writerInfo(ctx: RequestContext): WriterInfo {
  return {
    accountId: ctx.principal.accountId ?? '',
    arn: ctx.principal.arn,
    userId: ctx.principal.userId,
    sourceIp: ctx.sourceIp,
    requestId: ctx.requestId,
  };
}

/** A whole object in one new blob (PutObject, POST Object): its bytes' facts and what the request says about it. */
export interface SingleBlobObject {
  bucket: BucketRecord;
  key: string;
  blob: { blobId: string; sizeBytes: number; md5: Buffer; checksum?: StoredChecksum | undefined };
  details: Pick<NewObjectVersion, 'headers' | 'userMetadata' | 'tags' | 'storageClass' | 'ownerAccountId' | 'acl' | 'writer'>;
  method: 'PutObject' | 'PostObject';
  conditions?: WriteConditions | undefined;
}

/** Commits the version of a single-blob object (with its ObjectCreated event); the blob goes if the commit is refused. */
export function commitSingleBlobObject(ctx: RequestContext, object: SingleBlobObject): Promise<ObjectVersion> {
  const { bucket, key, blob, method, conditions } = object;
  return commitOrDiscard(ctx.services.blobs, blob.blobId, () =>
    storeCall(ctx.services.meta.putObjectVersion({
      version: {
        ...object.details,
        bucket: bucket.name,
        key,
        sizeBytes: blob.sizeBytes,
        etag: blob.md5.toString('hex'),
        lastModifiedMs: ctx.services.clock.nowMs(),
        checksum: blob.checksum,
        extents: [{ blobId: blob.blobId, offsetBytes: 0, lengthBytes: blob.sizeBytes }],
        method,
      },
      newBlobs: [{ blobId: blob.blobId, sizeBytes: blob.sizeBytes }],
      ...(conditions ? { conditions } : {}),
      event: method === 'PutObject' ? 'ObjectCreated:Put' : 'ObjectCreated:Post',
    }), { bucket: bucket.name, key, condition: conditions ? writeConditionName(conditions) : undefined }),
  );
}
