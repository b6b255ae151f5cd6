// The JSON API on the AWS port: SigV4-signed under the service name "s3push" (the CLI's admin commands).
// The platform's root key acts as operator; a partner's delivery role acts as that partner.
import { S3Error } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { sha256Hex } from '../../protocol/sigv4.js';
import { authenticate } from '../authenticate.js';
import type { ApiResponse, RequestContext } from '../context.js';
import type { Actor, JsonApi } from '../json-api.js';

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

/** Maps the authenticated principal to a JSON API actor, or refuses. */
export type ActorResolver = (ctx: RequestContext) => Promise<Actor | undefined>;

export function createAdminHandler(api: JsonApi, resolveActor: ActorResolver) {
  return async (ctx: RequestContext): Promise<ApiResponse> => {
    const { text, value } = await readJsonBody(ctx);
    await authenticate(ctx, sha256Hex(text));
    const actor = await resolveActor(ctx);
    if (!actor) throw new S3Error('AccessDenied', 'This API accepts the platform\'s root credentials or a partner\'s delivery role.');
    if (!ctx.rawPath.startsWith('/api/v1/')) throw new S3Error('NotFound', `No API route ${ctx.rawPath}.`);
    return api({ method: ctx.method, path: ctx.rawPath.slice('/api/v1'.length), query: ctx.query, body: value, actor, requestId: ctx.requestId });
  };
}
