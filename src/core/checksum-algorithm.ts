// The checksum algorithms and types S3 knows (x-amz-checksum-*), shared by protocol and storage.

export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';
export type ChecksumType = 'FULL_OBJECT' | 'COMPOSITE';
