// Records the storage layer keeps: buckets, object versions, extents, uploads, parts, events, identities.

import type { ChecksumAlgorithm, ChecksumType } from '../core/checksum-algorithm.js';

export type { ChecksumAlgorithm, ChecksumType };

export interface StoredChecksum {
  algorithm: ChecksumAlgorithm;
  /** Base64 of the digest; composite values end in `-N`. */
  value: string;
  type: ChecksumType;
}

export type Versioning = 'Unversioned' | 'Enabled' | 'Suspended';
export type ObjectOwnership = 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter';

export interface Tag {
  key: string;
  value: string;
}

export interface BucketRecord {
  name: string;
  accountId: string;
  region: string;
  createdMs: number;
  versioning: Versioning;
  /** Absent after DeleteBucketOwnershipControls: objects are then owned by their writer (ObjectWriter). */
  ownership?: ObjectOwnership | undefined;
  /** Bucket policy JSON text, exactly as stored by PutBucketPolicy. */
  policy?: string | undefined;
  /**
   * The policy was put with x-amz-confirm-remove-self-bucket-access: true, so the owner account's root
   * no longer keeps its implicit right to get, put and delete it.
   */
  policyRemovesOwnerAccess?: boolean | undefined;
  tags?: Tag[] | undefined;
  /** Absent until PutPublicAccessBlock (and after DeletePublicAccessBlock). */
  publicAccessBlock?: PublicAccessBlock | undefined;
  /** The bucket ACL's grants; absent means the default (private: the owner has FULL_CONTROL). */
  acl?: AccessControlList | undefined;
  /** Absent until PutBucketCors (and after DeleteBucketCors). */
  cors?: CorsConfiguration | undefined;
}

/** S3 ACL permissions (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions). */
export type AclPermission = 'FULL_CONTROL' | 'WRITE' | 'WRITE_ACP' | 'READ' | 'READ_ACP';

/** The predefined Amazon S3 groups an ACL can grant to. */
export type AclGroup = 'AllUsers' | 'AuthenticatedUsers' | 'LogDelivery';

/**
 * Whom a grant names. Email grantees are resolved to canonical users when the ACL is written (as AWS
 * stores them); `accountId` is set when the canonical user is an account of this server.
 */
export type AclGrantee =
  | { type: 'CanonicalUser'; id: string; accountId?: string | undefined }
  | { type: 'Group'; group: AclGroup };

export interface AclGrant {
  grantee: AclGrantee;
  permission: AclPermission;
}

/** The grants of a bucket or object ACL; its owner is the bucket's or the object's. */
export interface AccessControlList {
  grants: AclGrant[];
}

/** One rule of a bucket's CORS configuration (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CORSRule.html). */
export interface CorsRule {
  id?: string | undefined;
  allowedOrigins: string[];
  /** GET, PUT, HEAD, POST, DELETE. */
  allowedMethods: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number | undefined;
}

export interface CorsConfiguration {
  rules: CorsRule[];
}

/** S3 Block Public Access settings of a bucket (PutPublicAccessBlock). */
export interface PublicAccessBlock {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

export type BucketPatch = Partial<Pick<BucketRecord, 'versioning' | 'ownership' | 'policy' | 'policyRemovesOwnerAccess' | 'tags' | 'publicAccessBlock' | 'acl' | 'cors'>> & {
  /** Set to true to remove the bucket policy (policy field is ignored then); with `policy`, policyRemovesOwnerAccess is set as given. */
  deletePolicy?: boolean;
  /** Set to true to remove the ownership controls. */
  deleteOwnership?: boolean;
  /** Set to true to remove the tag set. */
  deleteTags?: boolean;
  /** Set to true to remove the public access block (publicAccessBlock is ignored then). */
  deletePublicAccessBlock?: boolean;
  /** Set to true to remove the CORS configuration (cors is ignored then). */
  deleteCors?: boolean;
};

/** A run of bytes in an immutable blob. Objects and parts are ordered lists of extents. */
export interface Extent {
  blobId: string;
  offsetBytes: number;
  lengthBytes: number;
}

/** System headers S3 stores with an object and returns on GET/HEAD. */
export interface ObjectHeaders {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: string;
  websiteRedirectLocation?: string;
}

/** Who wrote a version and how: what the delivery records show. */
export interface WriterInfo {
  accountId: string;
  /** The principal's ARN: root, user, or the assumed-role session ARN. */
  arn: string;
  /** aws:userid: account id, AIDA…, or AROA…:session. */
  userId: string;
  sourceIp: string;
  requestId: string;
  /** Set when the write went through an access point. */
  accessPointArn?: string | undefined;
}

export type WriteMethod = 'PutObject' | 'CopyObject' | 'CompleteMultipartUpload' | 'PostObject';

export interface CopySource {
  bucket: string;
  key: string;
  versionId: string;
}

export interface ObjectVersion {
  bucket: string;
  key: string;
  /** 'null' for the null version of unversioned or suspended buckets. */
  versionId: string;
  /** Monotonic order of creation across the store: newer versions have larger values. */
  sequence: number;
  isLatest: boolean;
  isDeleteMarker: boolean;
  sizeBytes: number;
  /** Unquoted: hex MD5, or `hex-N` for multipart objects. Empty for delete markers. */
  etag: string;
  lastModifiedMs: number;
  headers: ObjectHeaders;
  /** x-amz-meta-* without the prefix, names lower-cased. */
  userMetadata: Record<string, string>;
  tags: Tag[];
  checksum?: StoredChecksum | undefined;
  extents: Extent[];
  /** Byte size of each part for multipart objects, in part order; absent for single-part objects. */
  partSizes?: number[] | undefined;
  /** Per-part checksums of a multipart object, parallel to partSizes, when the upload had an algorithm. */
  partChecksums?: string[] | undefined;
  storageClass: string;
  ownerAccountId: string;
  /** The object ACL's grants (buckets that take ACLs); absent means private (the owner has FULL_CONTROL). */
  acl?: AccessControlList | undefined;
  writer?: WriterInfo | undefined;
  method?: WriteMethod | undefined;
  copySource?: CopySource | undefined;
}

/** What a caller provides to create a version; the store assigns versionId, sequence and isLatest. */
export type NewObjectVersion = Omit<ObjectVersion, 'versionId' | 'sequence' | 'isLatest' | 'isDeleteMarker'>;

/** Preconditions checked atomically against the current latest version at commit time. */
export interface WriteConditions {
  /** If-None-Match: * — fail if a current (non-delete-marker) version exists. */
  ifNoneMatchAny?: boolean;
  /** If-Match: etag — fail unless the current version exists with this (unquoted) ETag. */
  ifMatchEtag?: string;
}

export interface MultipartUpload {
  uploadId: string;
  bucket: string;
  key: string;
  initiatedMs: number;
  headers: ObjectHeaders;
  userMetadata: Record<string, string>;
  tags: Tag[];
  storageClass: string;
  checksumAlgorithm?: ChecksumAlgorithm | undefined;
  checksumType?: ChecksumType | undefined;
  ownerAccountId: string;
  /** The ACL the completed object gets (given on CreateMultipartUpload). */
  acl?: AccessControlList | undefined;
  initiator: WriterInfo;
}

/**
 * A multipart upload that was completed, remembered for a while (limits.completedUploadRetentionMs) so
 * that a repeated CompleteMultipartUpload with the same part list gets the first answer again, as on AWS.
 */
export interface CompletedUpload {
  uploadId: string;
  bucket: string;
  key: string;
  completedMs: number;
  /** The version the completion created (it may have been overwritten or deleted since). */
  versionId: string;
  /** Whether the answer named that version (the bucket's versioning was Enabled). */
  versionIdReported: boolean;
  /** Unquoted `hex-N`. */
  etag: string;
  checksum?: StoredChecksum | undefined;
  /** Identifies the part list the client sent (numbers and ETags); a repeat must send the same list. */
  partsDigest: string;
}

export interface UploadPart {
  uploadId: string;
  partNumber: number;
  sizeBytes: number;
  /** Unquoted hex MD5 (or, for UploadPartCopy, an identifier of the copied range). */
  etag: string;
  lastModifiedMs: number;
  /** Base64 checksum of the part in the upload's algorithm, when it has one. */
  checksum?: string | undefined;
  extents: Extent[];
  /** True if the part was made by UploadPartCopy. */
  copied?: boolean;
}

export interface ListObjectsQuery {
  prefix: string;
  delimiter?: string | undefined;
  /** Exclusive lower bound on keys (marker, start-after or decoded continuation token). */
  after?: string | undefined;
  maxKeys: number;
}

export interface ListObjectsPage {
  objects: ObjectVersion[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** Last key or common prefix returned, for NextMarker / continuation. */
  lastReturned?: string | undefined;
}

export interface ListVersionsQuery {
  prefix: string;
  delimiter?: string | undefined;
  keyMarker?: string | undefined;
  /** Only meaningful with keyMarker: continue after this version of that key. */
  versionIdMarker?: string | undefined;
  maxKeys: number;
}

export interface ListVersionsPage {
  versions: ObjectVersion[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextKeyMarker?: string | undefined;
  nextVersionIdMarker?: string | undefined;
}

export interface ListUploadsQuery {
  prefix: string;
  delimiter?: string | undefined;
  keyMarker?: string | undefined;
  uploadIdMarker?: string | undefined;
  maxUploads: number;
}

export interface ListUploadsPage {
  uploads: MultipartUpload[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextKeyMarker?: string | undefined;
  nextUploadIdMarker?: string | undefined;
}

export interface ListPartsPage {
  parts: UploadPart[];
  isTruncated: boolean;
  nextPartNumberMarker?: number | undefined;
}

export type ObjectEventName =
  | 'ObjectCreated:Put'
  | 'ObjectCreated:Copy'
  | 'ObjectCreated:CompleteMultipartUpload'
  | 'ObjectCreated:Post'
  | 'ObjectRemoved:Delete'
  | 'ObjectRemoved:DeleteMarkerCreated';

/** An outbox row, appended in the same transaction as the mutation it describes. */
export interface ObjectEvent {
  sequence: number;
  timeMs: number;
  name: ObjectEventName;
  bucket: string;
  key: string;
  versionId: string;
  sizeBytes: number;
  etag: string;
  writer?: WriterInfo | undefined;
}

export interface AccountRecord {
  accountId: string;
  name: string;
  createdMs: number;
  /** 64 hex characters, S3's canonical user id for Owner elements. */
  canonicalUserId: string;
}

export type PrincipalKind = 'Root' | 'User' | 'AssumedRole';

/** An access key and what it authenticates as. Temporary keys carry a session token and expiry. */
export interface AccessKeyRecord {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  principalKind: PrincipalKind;
  /** ARN the key authenticates as (root, user or assumed-role session ARN). */
  principalArn: string;
  /** aws:userid for the principal. */
  userId: string;
  status: 'Active' | 'Inactive';
  createdMs: number;
  sessionToken?: string | undefined;
  expiresMs?: number | undefined;
  /** For assumed-role sessions: the role ARN (aws:PrincipalArn), the session policy JSON, chaining flag. */
  roleArn?: string | undefined;
  sessionPolicy?: string | undefined;
  sessionName?: string | undefined;
  issuedMs?: number | undefined;
  chained?: boolean | undefined;
}
