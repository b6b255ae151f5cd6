// The global condition keys every authorization sees (aws:SourceIp, aws:SecureTransport, times, signing facts).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
import type { RequestContext } from './context.js';

export type ConditionContext = Record<string, string | string[] | undefined>;

export function requestConditionContext(ctx: RequestContext): ConditionContext {
  const nowMs = ctx.services.clock.nowMs();
  const key = ctx.principal.accessKey;
  const context: ConditionContext = {
    'aws:SourceIp': ctx.sourceIp,
    'aws:SecureTransport': ctx.secure ? 'true' : 'false',
    'aws:CurrentTime': new Date(nowMs).toISOString(),
    'aws:EpochTime': String(Math.floor(nowMs / 1000)),
    'aws:MultiFactorAuthPresent': 'false',
  };
  if (key?.issuedMs !== undefined) context['aws:TokenIssueTime'] = new Date(key.issuedMs).toISOString();
  if (ctx.postForm) {
    // A browser form upload: authenticated by the form's fields (AWS: s3:authType "POST").
    context['s3:authType'] = 'POST';
    context['s3:signatureversion'] = ctx.postForm.signatureVersion;
  } else if (ctx.auth) {
    context['s3:authType'] = ctx.auth.kind === 'presigned' ? 'REST-QUERY-STRING' : 'REST-HEADER';
    context['s3:signatureversion'] = ctx.auth.algorithm === 'AWS' ? 'AWS' : 'AWS4-HMAC-SHA256';
    context['s3:signatureAge'] = String(Math.max(0, nowMs - ctx.auth.requestTimeMs));
    const sha = ctx.headers['x-amz-content-sha256'];
    if (typeof sha === 'string') context['s3:x-amz-content-sha256'] = sha;
  }
  return context;
}
