// The request pipeline, its stage order written once: context → route → (per API) authenticate, parse,
// authorize, handle → render. Only this module writes to the socket, logs requests and maps errors.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { newHostId, newRequestId } from '../core/ids.js';
import { S3Error } from '../core/errors.js';
import { peekSigningService } from '../protocol/sigv4.js';
import { resolveTarget } from '../protocol/request-target.js';
import { anonymousPrincipal } from '../iam/principal.js';
import type { ApiResponse, RequestContext } from './context.js';
import type { Services } from './services.js';
import { renderError, sendResponse, toS3Error } from './render.js';
import { handleS3 } from './s3/handle-s3.js';

/** Extra API handlers the composition root plugs in (IAM, STS, S3 Control arrive with their modules). */
export interface ApiHandlers {
  /** The JSON API under the SigV4 service name "s3push". */
  admin?: (ctx: RequestContext) => Promise<ApiResponse>;
  s3control?: (ctx: RequestContext) => Promise<ApiResponse>;
  sts?: (ctx: RequestContext) => Promise<ApiResponse>;
  iam?: (ctx: RequestContext) => Promise<ApiResponse>;
}

export function createRequestHandler(services: Services, handlers: ApiHandlers = {}) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void handleRequest(req, res, services, handlers);
  };
}

async function handleRequest(req: IncomingMessage, res: ServerResponse, services: Services, handlers: ApiHandlers): Promise<void> {
  const ctx = buildContext(req, res, services);
  const ids = { requestId: ctx.requestId, hostId: ctx.hostId };
  let response: ApiResponse;
  try {
    ctx.target = resolveTarget(req.headers.host, ctx.rawPath, peekSigningService({ method: ctx.method, rawPath: ctx.rawPath, rawQuery: ctx.rawQuery, headers: req.headers }), services.config.baseHosts);
    response = await dispatchService(ctx, handlers);
  } catch (error) {
    const s3Error = toS3Error(error);
    if (!(error instanceof S3Error)) services.log.error('request failed', { requestId: ctx.requestId, method: ctx.method, path: ctx.rawPath, error: describe(error) });
    response = renderError(ctx.target.service, s3Error, ids, ctx.rawPath.split('?')[0]);
    // The client may still be sending a body we will not read: do not reuse the connection.
    if (!req.complete) response.headers['connection'] = 'close';
  }
  try {
    await sendResponse(res, response, ids, ctx.method === 'HEAD');
  } catch (error) {
    // A client that stops reading and leaves is routine (a cancelled download, a reader that wanted the headers);
    // anything else that stops a body midway (a blob failing its integrity check, a read error) is not.
    const fields = { requestId: ctx.requestId, method: ctx.method, path: ctx.rawPath, error: describe(error) };
    if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') services.log.info('the client went away before the response was sent', fields);
    else services.log.error('the response failed midway', fields);
    res.destroy();
  }
}

async function dispatchService(ctx: RequestContext, handlers: ApiHandlers): Promise<ApiResponse> {
  switch (ctx.target.service) {
    case 's3':
      return handleS3(ctx);
    case 'admin':
    case 's3control':
    case 'sts':
    case 'iam': {
      const handler = handlers[ctx.target.service];
      if (!handler) throw new S3Error('NotImplemented', `The ${ctx.target.service} API is not available on this server.`);
      return handler(ctx);
    }
  }
}

function buildContext(req: IncomingMessage, res: ServerResponse, services: Services): RequestContext {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  let continueSent = false;
  const expectsContinue = /100-continue/i.test(req.headers.expect ?? '');
  return {
    requestId: newRequestId(),
    hostId: newHostId(),
    startMs: services.clock.nowMs(),
    req,
    method: req.method ?? 'GET',
    rawPath,
    rawQuery,
    query: new URLSearchParams(rawQuery),
    headers: req.headers,
    sourceIp: sourceIp(req, services.config.trustForwardedFor),
    secure: Boolean((req.socket as { encrypted?: boolean }).encrypted),
    services,
    target: { service: 's3' },
    principal: anonymousPrincipal,
    rawBody() {
      if (expectsContinue && !continueSent) {
        continueSent = true;
        res.writeContinue();
      }
      return req;
    },
  };
}

function sourceIp(req: IncomingMessage, trustForwardedFor: boolean): string {
  const forwarded = trustForwardedFor ? req.headers['x-forwarded-for'] : undefined;
  const first = typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined;
  const ip = first || req.socket.remoteAddress || '';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
}
