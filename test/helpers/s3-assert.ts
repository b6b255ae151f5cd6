// Assertions on S3 errors as the AWS SDK v3 reports them (code, HTTP status, response headers), and as the
// server's own code throws them.
import assert from 'node:assert/strict';
import type { S3ServiceException } from '@aws-sdk/client-s3';
import { S3Error } from '../../src/core/errors.js';

export interface ExpectedS3Error {
  /** The AWS error code (the SDK's `name`); HEAD errors have no body, so leave it out for those. */
  code?: string;
  status: number;
  /** Response headers that must be present with exactly these values. */
  headers?: Record<string, string>;
  /** A pattern the error message must match. */
  message?: RegExp;
}

/** Awaits a rejected SDK call and checks it failed as S3 would; returns the error for further checks. */
export async function expectS3Error(call: Promise<unknown>, expected: ExpectedS3Error): Promise<S3ServiceException> {
  let caught: S3ServiceException | undefined;
  try {
    await call;
  } catch (error) {
    caught = error as S3ServiceException;
  }
  assert.ok(caught, `expected ${expected.code ?? expected.status}, but the call succeeded`);
  assert.equal(caught.$metadata?.httpStatusCode, expected.status, `status of ${caught.name}: ${caught.message}`);
  if (expected.code !== undefined) assert.equal(caught.name, expected.code, caught.message);
  if (expected.message) assert.match(caught.message, expected.message);
  for (const [name, value] of Object.entries(expected.headers ?? {})) {
    assert.equal(caught.$response?.headers[name], value, `header ${name}`);
  }
  return caught;
}

/** Runs `fn`, which must throw an S3Error (the server's own error type), and returns that error. */
export function s3ErrorOf(fn: () => unknown): S3Error {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof S3Error, `expected an S3Error, got ${String(error)}`);
    return error;
  }
  assert.fail('expected an S3Error');
}
