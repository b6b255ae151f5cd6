// Parse, then dispatch: turns method, addressing, query and a few headers into a typed S3 operation.
import { S3Error } from '../core/errors.js';
import { limits } from '../core/limits.js';

export const bucketOperationKinds = [
  'CreateBucket', 'DeleteBucket', 'HeadBucket', 'ListObjects', 'ListObjectsV2', 'ListObjectVersions',
  'ListMultipartUploads', 'GetBucketLocation', 'GetBucketVersioning', 'PutBucketVersioning',
  'GetBucketPolicy', 'PutBucketPolicy', 'DeleteBucketPolicy', 'GetBucketPolicyStatus',
  'GetBucketTagging', 'PutBucketTagging', 'DeleteBucketTagging',
  'GetBucketOwnershipControls', 'PutBucketOwnershipControls', 'DeleteBucketOwnershipControls',
  'GetBucketEncryption', 'PutBucketEncryption', 'DeleteBucketEncryption',
  'GetBucketAcl', 'PutBucketAcl', 'DeleteObjects', 'PostObject',
  'GetBucketCors', 'PutBucketCors', 'DeleteBucketCors', 'GetBucketLifecycleConfiguration', 'GetBucketWebsite', 'GetBucketLogging',
  'GetBucketNotificationConfiguration', 'GetBucketRequestPayment', 'GetBucketAccelerateConfiguration',
  'GetObjectLockConfiguration', 'GetPublicAccessBlock', 'PutPublicAccessBlock', 'DeletePublicAccessBlock',
  'GetBucketReplication',
] as const;

export const objectOperationKinds = [
  'GetObject', 'HeadObject', 'PutObject', 'CopyObject', 'DeleteObject',
  'GetObjectTagging', 'PutObjectTagging', 'DeleteObjectTagging', 'GetObjectAcl', 'PutObjectAcl',
  'GetObjectAttributes', 'CreateMultipartUpload', 'UploadPart', 'UploadPartCopy',
  'CompleteMultipartUpload', 'AbortMultipartUpload', 'ListParts',
] as const;

export type BucketOperationKind = (typeof bucketOperationKinds)[number];
export type ObjectOperationKind = (typeof objectOperationKinds)[number];

export type S3Operation =
  | { kind: 'ListBuckets' }
  /** A browser's CORS preflight (OPTIONS on a bucket or an object); unauthenticated. */
  | { kind: 'OptionsPreflight'; bucket: string; key?: string | undefined }
  | { kind: BucketOperationKind; bucket: string }
  | { kind: ObjectOperationKind; bucket: string; key: string };

export type BucketOperation = Extract<S3Operation, { kind: BucketOperationKind }>;
export type ObjectOperation = Extract<S3Operation, { kind: ObjectOperationKind }>;

/** Query parameters that select a sub-resource; any we do not handle is NotImplemented. */
const knownSubresources = new Set([
  'accelerate', 'acl', 'analytics', 'attributes', 'cors', 'delete', 'encryption', 'intelligent-tiering',
  'inventory', 'legal-hold', 'lifecycle', 'location', 'logging', 'metadataConfiguration', 'metadataTable', 'metrics', 'notification',
  'object-lock', 'ownershipControls', 'policy', 'policyStatus', 'publicAccessBlock', 'replication',
  'requestPayment', 'restore', 'retention', 'select', 'tagging', 'torrent', 'uploads', 'versioning',
  'versions', 'website', 'renameObject', 'session',
]);

const bucketRoutes: Record<string, Record<string, BucketOperationKind>> = {
  GET: {
    location: 'GetBucketLocation', versioning: 'GetBucketVersioning', policy: 'GetBucketPolicy',
    policyStatus: 'GetBucketPolicyStatus', tagging: 'GetBucketTagging', ownershipControls: 'GetBucketOwnershipControls',
    encryption: 'GetBucketEncryption', acl: 'GetBucketAcl', versions: 'ListObjectVersions', uploads: 'ListMultipartUploads',
    cors: 'GetBucketCors', lifecycle: 'GetBucketLifecycleConfiguration', website: 'GetBucketWebsite',
    logging: 'GetBucketLogging', notification: 'GetBucketNotificationConfiguration', requestPayment: 'GetBucketRequestPayment',
    accelerate: 'GetBucketAccelerateConfiguration', 'object-lock': 'GetObjectLockConfiguration',
    publicAccessBlock: 'GetPublicAccessBlock', replication: 'GetBucketReplication',
  },
  PUT: {
    versioning: 'PutBucketVersioning', policy: 'PutBucketPolicy', tagging: 'PutBucketTagging',
    ownershipControls: 'PutBucketOwnershipControls', encryption: 'PutBucketEncryption', acl: 'PutBucketAcl',
    publicAccessBlock: 'PutPublicAccessBlock', cors: 'PutBucketCors',
  },
  DELETE: {
    policy: 'DeleteBucketPolicy', tagging: 'DeleteBucketTagging', ownershipControls: 'DeleteBucketOwnershipControls',
    encryption: 'DeleteBucketEncryption', publicAccessBlock: 'DeletePublicAccessBlock', cors: 'DeleteBucketCors',
  },
  POST: { delete: 'DeleteObjects' },
  HEAD: {},
};

const bucketDefaults: Record<string, BucketOperationKind> = {
  PUT: 'CreateBucket', DELETE: 'DeleteBucket', HEAD: 'HeadBucket', POST: 'PostObject',
};

const objectRoutes: Record<string, Record<string, ObjectOperationKind>> = {
  GET: { uploadId: 'ListParts', tagging: 'GetObjectTagging', acl: 'GetObjectAcl', attributes: 'GetObjectAttributes' },
  PUT: { tagging: 'PutObjectTagging', acl: 'PutObjectAcl' },
  DELETE: { uploadId: 'AbortMultipartUpload', tagging: 'DeleteObjectTagging' },
  POST: { uploads: 'CreateMultipartUpload', uploadId: 'CompleteMultipartUpload' },
  HEAD: {},
};

export interface OperationInput {
  method: string;
  /** Bucket from the Host label (virtual-host style), if any. */
  hostBucket?: string | undefined;
  /** The raw (percent-encoded) path. */
  rawPath: string;
  query: URLSearchParams;
  hasCopySource: boolean;
}

export function parseS3Operation(input: OperationInput): S3Operation {
  const { bucket, key } = splitPath(input.rawPath, input.hostBucket);
  const method = input.method.toUpperCase();
  if (bucket === undefined) {
    if (method === 'GET') return { kind: 'ListBuckets' };
    throw new S3Error('MethodNotAllowed');
  }
  // OPTIONS is the CORS preflight whatever the query says (a presigned URL's parameters, a sub-resource).
  if (method === 'OPTIONS') return { kind: 'OptionsPreflight', bucket, ...(key !== undefined ? { key } : {}) };
  const subresources = [...input.query.keys()].filter((name) => knownSubresources.has(name));
  if (key === undefined) {
    const routes = bucketRoutes[method];
    if (!routes) throw new S3Error('MethodNotAllowed');
    for (const name of subresources) {
      const kind = routes[name];
      if (kind) return { kind, bucket };
    }
    if (subresources.length > 0) throw notImplemented(method, subresources[0]!);
    if (method === 'GET') return { kind: input.query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects', bucket };
    return { kind: bucketDefaults[method]!, bucket };
  }
  if (Buffer.byteLength(key) > limits.keyLengthBytesMax) throw new S3Error('KeyTooLongError', undefined, { MaxSizeAllowed: limits.keyLengthBytesMax });
  if (method === 'PUT' && input.query.has('partNumber') && input.query.has('uploadId')) {
    return { kind: input.hasCopySource ? 'UploadPartCopy' : 'UploadPart', bucket, key };
  }
  const routes = objectRoutes[method];
  if (!routes) throw new S3Error('MethodNotAllowed');
  for (const name of [...subresources, 'uploadId']) {
    const kind = input.query.has(name) ? routes[name] : undefined;
    if (kind) return { kind, bucket, key };
  }
  if (subresources.length > 0) throw notImplemented(method, subresources[0]!);
  switch (method) {
    case 'GET': return { kind: 'GetObject', bucket, key };
    case 'HEAD': return { kind: 'HeadObject', bucket, key };
    case 'PUT': return { kind: input.hasCopySource ? 'CopyObject' : 'PutObject', bucket, key };
    case 'DELETE': return { kind: 'DeleteObject', bucket, key };
    default: throw new S3Error('MethodNotAllowed');
  }
}

function notImplemented(method: string, subresource: string): S3Error {
  return new S3Error('NotImplemented', `${method} ?${subresource} is not implemented by s3push.`);
}

/** Path style: /bucket/key…; virtual-host style: the bucket is the host label and the path is the key. */
export function splitPath(rawPath: string, hostBucket: string | undefined): { bucket?: string; key?: string } {
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  if (hostBucket !== undefined) return path === '' ? { bucket: hostBucket } : { bucket: hostBucket, key: decodePath(path) };
  if (path === '') return {};
  const slash = path.indexOf('/');
  if (slash < 0) return { bucket: decodePath(path) };
  const bucket = decodePath(path.slice(0, slash));
  const key = path.slice(slash + 1);
  return key === '' ? { bucket } : { bucket, key: decodePath(key) };
}

function decodePath(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new S3Error('InvalidURI');
  }
}
