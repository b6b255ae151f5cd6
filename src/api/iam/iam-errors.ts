// The IAM API's one translation of store conflicts and policy-document errors into AWS error codes.
import { S3Error } from '../../core/errors.js';
import { parsePolicy } from '../../iam/policy/parse-policy.js';
import type { ParsedPolicy, PolicyKind } from '../../iam/policy/parsed-policy.js';
import { PolicyError } from '../../iam/policy/policy-error.js';
import { IamConflict } from '../../storage/iam-store.js';

/** Runs a store call; IamConflict (EntityAlreadyExists, NoSuchEntity, DeleteConflict, LimitExceeded) becomes the IAM error of that name. */
export async function fromStore<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof IamConflict) throw new S3Error(error.reason, error.message);
    throw error;
  }
}

export interface DocumentCheck {
  kind: PolicyKind;
  /** Quota in bytes, whitespace not counted (IAM's rule). */
  maxBytes: number;
  /** AWS's LimitExceeded text for this quota, when it differs from the generic PolicySize one. */
  sizeMessage?: string;
}

/** Validates a document as IAM does: MalformedPolicyDocument with AWS's message, LimitExceeded over the quota. */
export function checkDocument(text: string, check: DocumentCheck): ParsedPolicy {
  try {
    return parsePolicy(text, { kind: check.kind, maxBytes: check.maxBytes, sizeIgnoresWhitespace: true });
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    if (error.problem === 'size') throw new S3Error('LimitExceeded', check.sizeMessage ?? error.message);
    throw new S3Error('MalformedPolicyDocument', error.message);
  }
}

/** The size IAM counts against its quotas: UTF-8 bytes without whitespace. */
export function countedBytes(document: string): number {
  return Buffer.byteLength(document.replace(/\s+/g, ''), 'utf8');
}
