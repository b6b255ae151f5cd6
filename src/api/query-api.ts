// Shared front of the Query-protocol APIs (IAM, STS): read the form body, authenticate, dispatch by Action.
import { S3Error } from '../core/errors.js';
import { limits } from '../core/limits.js';
import { sha256Hex } from '../protocol/sigv4.js';
import { parseQueryParams, queryResponse, type QueryParams } from '../protocol/query-protocol.js';
import { authenticate } from './authenticate.js';
import type { ApiResponse, RequestContext } from './context.js';

/** Returns the inner XML of <ActionResult>, or undefined for actions without a result element. */
export type QueryAction = (ctx: RequestContext, params: QueryParams) => Promise<string | undefined>;

export interface QueryApi {
  namespace: string;
  actions: Record<string, QueryAction>;
}

async function readForm(ctx: RequestContext): Promise<string> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of ctx.rawBody()) {
    total += chunk.length;
    if (total > limits.queryFormBodyBytesMax) throw new S3Error('ValidationError', 'Request body too large.');
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}

/** STS and IAM name unknown or bad keys differently from S3. */
function queryAuthError(error: unknown): unknown {
  if (error instanceof S3Error && (error.code === 'InvalidAccessKeyId' || error.code === 'InvalidToken')) {
    return new S3Error('InvalidClientTokenId');
  }
  return error;
}

export async function handleQueryApi(ctx: RequestContext, api: QueryApi): Promise<ApiResponse> {
  const body = ctx.method === 'POST' ? await readForm(ctx) : '';
  try {
    await authenticate(ctx, sha256Hex(body));
  } catch (error) {
    throw queryAuthError(error);
  }
  const params = parseQueryParams(body, ctx.rawQuery);
  const action = params.get('Action') ?? '';
  const handler = Object.hasOwn(api.actions, action) ? api.actions[action] : undefined;
  if (!handler) throw new S3Error('InvalidAction', `Could not find operation ${action} for version ${params.get('Version') ?? ''}`);
  if (ctx.principal.kind === 'Anonymous') throw new S3Error('MissingAuthenticationToken');
  const result = await handler(ctx, params);
  return { status: 200, headers: { 'content-type': 'text/xml' }, body: queryResponse(action, api.namespace, result, ctx.requestId) };
}
