// IAM and STS SDK clients against a test server, and assertions on AWS errors, for the IAM integration tests.
import assert from 'node:assert/strict';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { startTestServer, type Credentials, type TestServer } from '../helpers/server.js';

export function iamClient(endpoint: string, credentials: Credentials): IAMClient {
  return new IAMClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}

/** A test server, a fresh account in it, its root credentials and an IAM client signed with them. */
export interface ServerWithIamAccount {
  server: TestServer;
  accountId: string;
  root: Credentials;
  iam: IAMClient;
}

export async function serverWithIamAccount(name: string): Promise<ServerWithIamAccount> {
  const server = await startTestServer();
  const account = await server.createAccount(name);
  return { server, accountId: account.accountId, root: account, iam: iamClient(server.endpoint, account) };
}

export async function stopServerWithIamAccount({ server, iam }: ServerWithIamAccount): Promise<void> {
  iam.destroy();
  await server.stop();
}

export function stsClient(endpoint: string, credentials: Credentials): STSClient {
  return new STSClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}

/** Asserts an AWS error by its wire code (the SDK names modeled errors `<Code>Exception`), HTTP status and (optionally) message. */
export async function rejectsAws(promise: Promise<unknown>, code: string, status: number, message?: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    const e = error as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const wireCode = e.Code ?? e.name;
    assert.equal(wireCode, code, `expected ${code}, got ${wireCode}: ${e.message}`);
    assert.equal(e.$metadata?.httpStatusCode, status);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message ?? '', message);
    return true;
  });
}

export function policy(statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

export function allow(action: string | string[], resource: string | string[] = '*'): object {
  return { Effect: 'Allow', Action: action, Resource: resource };
}

export function trustAccount(accountId: string): string {
  return policy([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' }]);
}
