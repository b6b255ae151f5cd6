// Authentication of a POST Object form: the policy field signed with SigV4 (x-amz-credential, x-amz-date,
// x-amz-signature) or SigV2 (AWSAccessKeyId, signature), then the policy checked against the fields.
// A form without a policy is anonymous (it then needs a bucket policy that lets everyone s3:PutObject).
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-authentication-HTTPPOST.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/HTTPPOSTForms.html#HTTPPOSTConstructingPolicySignature
import { createHmac, timingSafeEqual } from 'node:crypto';
import { S3Error } from '../../core/errors.js';
import { ALGORITHM, constantTimeEqualHex, signatureHex } from '../../protocol/sigv4.js';
import { checkPostPolicy, parsePostPolicy, type PolicyField } from '../../protocol/post-policy.js';
import { anonymousPrincipal } from '../../iam/principal.js';
import type { RequestContext } from '../context.js';

/** Form fields by lower-case name. */
export type FormFields = ReadonlyMap<string, PolicyField>;

export interface FormAuthentication {
  /** The size range the policy allows (content-length-range); 0…∞ without a policy. */
  sizeBytesMin: number;
  sizeBytesMax: number;
}

/** Fields of each signature version; a form that has some of them must have all (named as AWS names them). */
const sigV4Fields = [['x-amz-algorithm', 'X-Amz-Algorithm'], ['x-amz-credential', 'X-Amz-Credential'], ['x-amz-date', 'X-Amz-Date'], ['x-amz-signature', 'X-Amz-Signature']] as const;
const sigV2Fields = [['awsaccesskeyid', 'AWSAccessKeyId'], ['signature', 'Signature']] as const;

const credentialPattern = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;
const amzDatePattern = /^\d{8}T\d{6}Z$/;

/** Verifies the form's signature and policy; sets ctx.principal (anonymous for a form without policy). */
export async function authenticateForm(ctx: RequestContext, fields: FormFields, bucket: string): Promise<FormAuthentication> {
  const policy = fields.get('policy')?.value ?? '';
  const v4 = completeSet(fields, sigV4Fields);
  const v2 = completeSet(fields, sigV2Fields);
  if (policy === '') {
    if (v4 || v2) throw missingField('Policy');
    ctx.principal = anonymousPrincipal;
    return { sizeBytesMin: 0, sizeBytesMax: Number.MAX_SAFE_INTEGER };
  }
  if (v4) await verifySigV4(ctx, fields, policy);
  else if (v2) await verifySigV2(ctx, fields, policy);
  else throw new S3Error('AccessDenied', 'A POST form with a policy must be signed (x-amz-signature or signature).');
  ctx.postForm = { signatureVersion: v4 ? 'AWS4-HMAC-SHA256' : 'AWS' };
  return checkPostPolicy(parsePostPolicy(policy), fields, bucket, ctx.services.clock.nowMs());
}

/** True when all of a signature version's fields are present, false when none; otherwise InvalidArgument. */
function completeSet(fields: FormFields, names: readonly (readonly [string, string])[]): boolean {
  const present = names.filter(([lower]) => fields.has(lower));
  if (present.length === 0) return false;
  const missing = names.find(([lower]) => !fields.has(lower));
  if (missing) throw missingField(missing[1]);
  return true;
}

function missingField(name: string): S3Error {
  return new S3Error('InvalidArgument', `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`, { ArgumentName: name, ArgumentValue: '' });
}

async function verifySigV4(ctx: RequestContext, fields: FormFields, policy: string): Promise<void> {
  const value = (name: string): string => fields.get(name)?.value ?? '';
  const algorithm = value('x-amz-algorithm');
  if (algorithm !== ALGORITHM) {
    throw new S3Error('InvalidArgument', `X-Amz-Algorithm only supports "${ALGORITHM}"`, { ArgumentName: 'X-Amz-Algorithm', ArgumentValue: algorithm });
  }
  const credential = credentialPattern.exec(value('x-amz-credential'));
  if (!credential || credential[4] !== 's3') {
    throw new S3Error('InvalidArgument', 'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".', { ArgumentName: 'X-Amz-Credential', ArgumentValue: value('x-amz-credential') });
  }
  const [, accessKeyId, scopeDate, region] = credential as unknown as [string, string, string, string];
  const amzDate = value('x-amz-date');
  if (!amzDatePattern.test(amzDate) || amzDate.slice(0, 8) !== scopeDate) {
    throw new S3Error('InvalidArgument', 'X-Amz-Date must be YYYYMMDDTHHMMSSZ on the day of the X-Amz-Credential scope.', { ArgumentName: 'X-Amz-Date', ArgumentValue: amzDate });
  }
  const key = await ctx.services.credentials.lookup(accessKeyId);
  const signingKey = ctx.services.signingKeys.get(key.secretAccessKey, scopeDate, region, 's3');
  const provided = value('x-amz-signature');
  // The string to sign is the base64 policy exactly as the form carries it.
  if (!constantTimeEqualHex(signatureHex(signingKey, policy), provided)) throw signatureMismatch(accessKeyId, policy, provided);
  ctx.principal = ctx.services.credentials.principalFor(key, fields.get('x-amz-security-token')?.value);
}

async function verifySigV2(ctx: RequestContext, fields: FormFields, policy: string): Promise<void> {
  const accessKeyId = fields.get('awsaccesskeyid')?.value ?? '';
  const provided = fields.get('signature')?.value ?? '';
  const key = await ctx.services.credentials.lookup(accessKeyId);
  const expected = createHmac('sha1', key.secretAccessKey).update(policy, 'utf8').digest();
  const given = Buffer.from(provided, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw signatureMismatch(accessKeyId, policy, provided);
  ctx.principal = ctx.services.credentials.principalFor(key, fields.get('x-amz-security-token')?.value);
}

function signatureMismatch(accessKeyId: string, policy: string, provided: string): S3Error {
  return new S3Error('SignatureDoesNotMatch', undefined, { AWSAccessKeyId: accessKeyId, StringToSign: policy, SignatureProvided: provided });
}
