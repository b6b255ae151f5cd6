// s3push's admin API on the AWS port: JSON over SigV4 (service "s3push"), for the platform's own credentials.
import { S3Error } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { sha256Hex } from '../../protocol/sigv4.js';
import { createAccountWithRootKey } from '../../iam/accounts.js';
import { authenticate } from '../authenticate.js';
import type { ApiResponse, RequestContext } from '../context.js';

async function readJsonBody(ctx: RequestContext): Promise<{ text: string; value: unknown }> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of ctx.rawBody()) {
    total += chunk.length;
    if (total > limits.jsonBodyBytesMax) throw new S3Error('MaxMessageLengthExceeded');
    parts.push(chunk);
  }
  const text = Buffer.concat(parts).toString('utf8');
  if (text === '') return { text, value: undefined };
  try {
    return { text, value: JSON.parse(text) };
  } catch {
    throw new S3Error('InvalidArgument', 'The request body is not valid JSON.');
  }
}

export function jsonResponse(value: unknown, status = 200): ApiResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

export async function handleAdmin(ctx: RequestContext): Promise<ApiResponse> {
  const { text, value } = await readJsonBody(ctx);
  await authenticate(ctx, sha256Hex(text));
  if (ctx.principal.kind !== 'Root' || ctx.principal.accountId !== ctx.services.config.platformAccountId) {
    throw new S3Error('AccessDenied', 'The admin API accepts only the platform account\'s root credentials.');
  }
  const route = `${ctx.method} ${ctx.rawPath}`;
  switch (route) {
    case 'POST /api/v1/accounts': {
      const body = (value ?? {}) as { name?: unknown; accountId?: unknown };
      if (typeof body.name !== 'string') throw new S3Error('InvalidArgument', 'name is required.');
      if (body.accountId !== undefined && typeof body.accountId !== 'string') throw new S3Error('InvalidArgument', 'accountId must be a string.');
      const created = await createAccountWithRootKey(ctx.services.meta, ctx.services.clock, { name: body.name, ...(body.accountId ? { accountId: body.accountId } : {}) });
      return jsonResponse({ accountId: created.account.accountId, name: created.account.name, accessKeyId: created.accessKeyId, secretAccessKey: created.secretAccessKey }, 201);
    }
    case 'GET /api/v1/accounts': {
      const accounts = await ctx.services.meta.listAccounts();
      return jsonResponse(accounts.map((a) => ({ accountId: a.accountId, name: a.name, createdAt: new Date(a.createdMs).toISOString() })));
    }
    default:
      throw new S3Error('NotFound', `No admin route ${route}.`);
  }
}
