// Access point names and aliases, as AWS forms them (reference/aws-semantics.md §1.1–1.2).
import { S3Error } from '../core/errors.js';
import { newLowerAlnum } from '../core/ids.js';

const namePattern = /^[a-z0-9](?:[a-z0-9-]{1,48})[a-z0-9]$/;

/** 3–50 lowercase letters, digits and hyphens; starts and ends with a letter or digit; not …-s3alias. */
export function validateAccessPointName(name: string): void {
  if (!namePattern.test(name) || name.endsWith('-s3alias')) {
    throw new S3Error('InvalidRequest', 'Access point names are 3-50 lowercase letters, digits and hyphens, start and end with a letter or digit, and do not end with -s3alias.');
  }
}

/** `<first ≤20 characters of the name, trailing '-' dropped>-<34 [a-z0-9]>-s3alias`: at most 63 characters. */
export function newAccessPointAlias(name: string): string {
  return `${name.slice(0, 20).replace(/-+$/, '')}-${newLowerAlnum(34)}-s3alias`;
}
