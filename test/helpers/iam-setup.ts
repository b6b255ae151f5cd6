// IAM set-up for tests through the real IAM and STS APIs (the same calls a partner makes with the CLI).
import { IAMClient, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { Credentials, TestServer } from './server.js';

/** Creates a role trusted by its own account (root), with one inline policy; returns its ARN. */
export async function createRoleWithPolicy(server: TestServer, accountId: string, roleName: string, policy: object, credentials?: Credentials): Promise<string> {
  const creds = credentials ?? (await server.rootOf(accountId));
  const iam = new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: creds });
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' }] };
  const created = await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(trust) }));
  await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'delivery', PolicyDocument: JSON.stringify(policy) }));
  iam.destroy();
  return created.Role!.Arn!;
}

export async function assumeRoleAs(server: TestServer, caller: Credentials, roleArn: string, sessionName: string, durationSeconds?: number): Promise<Credentials> {
  const sts = new STSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: caller });
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName, ...(durationSeconds ? { DurationSeconds: durationSeconds } : {}) }));
  sts.destroy();
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}
