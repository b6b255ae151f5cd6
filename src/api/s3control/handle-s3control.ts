// S3 Control (REST-XML under /v20180820/): authenticate, check x-amz-account-id is the caller's,
// parse the access point route, authorize with identity policies, dispatch.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_AWS_S3_Control.html
import { S3Error } from '../../core/errors.js';
import { accessPointArn } from '../../core/arn.js';
import { authenticate } from '../authenticate.js';
import { authorizeOwnAccount } from '../authorize-account.js';
import { header, type ApiResponse, type RequestContext } from '../context.js';
import {
  createAccessPoint, deleteAccessPoint, deleteAccessPointPolicy, getAccessPoint, getAccessPointPolicy,
  getAccessPointPolicyStatus, listAccessPoints, putAccessPointPolicy,
} from './access-points.js';

type ControlOperation =
  | { kind: 'ListAccessPoints' }
  | { kind: 'CreateAccessPoint' | 'GetAccessPoint' | 'DeleteAccessPoint' | 'PutAccessPointPolicy' | 'GetAccessPointPolicy' | 'DeleteAccessPointPolicy' | 'GetAccessPointPolicyStatus'; name: string };

const routes: Record<string, Record<string, ControlOperation['kind']>> = {
  '': { PUT: 'CreateAccessPoint', GET: 'GetAccessPoint', DELETE: 'DeleteAccessPoint' },
  policy: { PUT: 'PutAccessPointPolicy', GET: 'GetAccessPointPolicy', DELETE: 'DeleteAccessPointPolicy' },
  policyStatus: { GET: 'GetAccessPointPolicyStatus' },
};

export function parseControlOperation(method: string, rawPath: string): ControlOperation {
  const path = rawPath.replace(/^\/v20180820\//, '');
  if (path === 'accesspoint' || path === 'accesspoint/') {
    if (method === 'GET') return { kind: 'ListAccessPoints' };
    throw new S3Error('MethodNotAllowed');
  }
  const m = /^accesspoint\/([^/]+)(?:\/(policy|policyStatus))?$/.exec(path);
  if (!m) throw new S3Error('NotImplemented', `S3 Control ${method} /v20180820/${path} is not implemented by s3push.`);
  const kind = routes[m[2] ?? '']![method];
  if (!kind) throw new S3Error('MethodNotAllowed');
  return { kind, name: decodeURIComponent(m[1]!) };
}

export async function handleS3Control(ctx: RequestContext): Promise<ApiResponse> {
  await authenticate(ctx);
  const accountId = header(ctx, 'x-amz-account-id');
  if (!accountId || !/^\d{12}$/.test(accountId)) throw new S3Error('InvalidRequest', 'S3 Control requests need an x-amz-account-id header with a 12-digit account id.');
  if (ctx.target.hostAccountId !== undefined && ctx.target.hostAccountId !== accountId) throw new S3Error('InvalidRequest', 'The account id in the host does not match x-amz-account-id.');
  if (ctx.principal.accountId !== accountId) throw new S3Error('AccessDenied', 'S3 Control requests act only on the caller\'s own account.');
  const op = parseControlOperation(ctx.method, ctx.rawPath);
  const resource = op.kind === 'ListAccessPoints' ? accessPointArn(ctx.services.config.region, accountId, '*') : accessPointArn(ctx.services.config.region, accountId, op.name);
  await authorizeOwnAccount(ctx, `s3:${op.kind}`, resource);
  switch (op.kind) {
    case 'ListAccessPoints': return listAccessPoints(ctx, accountId);
    case 'CreateAccessPoint': return createAccessPoint(ctx, accountId, op.name);
    case 'GetAccessPoint': return getAccessPoint(ctx, accountId, op.name);
    case 'DeleteAccessPoint': return deleteAccessPoint(ctx, accountId, op.name);
    case 'PutAccessPointPolicy': return putAccessPointPolicy(ctx, accountId, op.name);
    case 'GetAccessPointPolicy': return getAccessPointPolicy(ctx, accountId, op.name);
    case 'DeleteAccessPointPolicy': return deleteAccessPointPolicy(ctx, accountId, op.name);
    case 'GetAccessPointPolicyStatus': return getAccessPointPolicyStatus(ctx, accountId, op.name);
  }
}
