// JSON Schemas (2020-12, as OpenAPI 3.1 uses them) of the JSON API's request and response shapes: the one place
// they are written. They follow views.ts and webhook-routes.ts; a test validates real responses against them.

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const nullable = (type: string, extra: Schema = {}): Schema => ({ type: [type, 'null'], ...extra });
const string: Schema = { type: 'string' };
const dateTime: Schema = { type: 'string', format: 'date-time' };
const strings: Schema = { type: 'array', items: string };
const integer: Schema = { type: 'integer', minimum: 0 };

/** A closed object: every property required unless listed in `optional`. */
function object(properties: Record<string, Schema>, optional: string[] = [], description?: string): Schema {
  return {
    type: 'object',
    ...(description ? { description } : {}),
    properties,
    required: Object.keys(properties).filter((name) => !optional.includes(name)),
    additionalProperties: false,
  };
}

export const deliveryStatusSchema: Schema = { type: 'string', enum: ['Received', 'Validating', 'Accepted', 'Ingested', 'Rejected'] };
const deliveryMethod: Schema = { type: 'string', enum: ['PutObject', 'CopyObject', 'CompleteMultipartUpload', 'UploadPartCopy', 'PostObject', 'TransferTask'] };
const contact = object({ name: string, email: string }, ['name']);
const issue = object({ code: string, cause: string, fix: string }, [], 'A validation issue: its code, what happened and how to fix it (docs/errors.md).');

const delivery = object({
  id: string,
  partner: string,
  deliveryAccount: string,
  key: string,
  versionId: string,
  size: { ...integer, description: 'Bytes.' },
  etag: string,
  status: deliveryStatusSchema,
  deliveredAt: dateTime,
  deliveredBy: { type: 'string', description: 'ARN of the principal that wrote the object.' },
  sessionName: nullable('string'),
  method: deliveryMethod,
  contentType: nullable('string'),
  checksums: { type: 'object', additionalProperties: string, description: 'Algorithm → value (base64 for S3 checksums, hex for MD5).' },
  checksumVerified: { type: 'boolean' },
  copySource: { oneOf: [object({ bucket: string, key: string, versionId: string }), { type: 'null' }] },
  rejection: { oneOf: [issue, { type: 'null' }] },
  media: nullable('object', { description: 'Media summary from the probe (container, duration, video and audio tracks).' }),
  redelivery: { ...integer, description: '0 for a first delivery, n for an `_R<n>` redelivery.' },
  supersedes: nullable('string'),
  supersededBy: nullable('string'),
  updatedAt: dateTime,
}, [], 'One delivered object version and its status.');

const validation = object({
  validator: string,
  outcome: { type: 'string', enum: ['passed', 'failed', 'skipped', 'error'] },
  issues: { type: 'array', items: issue },
  details: { type: 'object' },
  durationMs: { type: 'number', minimum: 0 },
}, ['details']);

const deliveryDetailProperties = (delivery['properties'] as Record<string, Schema>);
const deliveryDetail = object({
  ...deliveryDetailProperties,
  bucket: string,
  validations: { type: 'array', items: validation },
  eventSequence: integer,
  history: { type: 'array', items: object({ at: dateTime, status: { type: 'string', enum: ['Received', 'Validating', 'Accepted', 'Ingested', 'Rejected', 'Superseded'] }, note: string }) },
  versions: { type: 'array', items: ref('Delivery'), description: 'Every version delivered for this key, newest first.' },
}, [], 'A delivery with its validations, status history and the other versions of its key.');

const partnerProperties = {
  id: string,
  name: string,
  status: { type: 'string', enum: ['Active', 'Revoked'] },
  prefix: string,
  accessPointArn: string,
  alias: string,
  region: string,
  roleArns: strings,
  sourceBuckets: strings,
  contacts: { type: 'array', items: contact },
  settings: ref('PartnerSettings'),
  deliveryAccounts: { type: 'array', items: object({ name: string, verified: { type: 'boolean' }, verifiedAt: nullable('string', { format: 'date-time' }), verifiedBy: nullable('string') }) },
  createdAt: dateTime,
};

const policyDocument: Schema = { type: 'object', description: 'An IAM policy document (Version, Statement).', required: ['Version', 'Statement'], properties: { Version: { const: '2012-10-17' }, Statement: { type: 'array', items: { type: 'object' } } } };
const commands = object({ cli: string, boto3: string, js: string }, [], 'Copy-paste commands for the first delivery.');

const webhookProperties = {
  id: string,
  partner: nullable('string', { description: 'The partner whose deliveries it receives; null: every partner (operator hook).' }),
  url: { type: 'string', format: 'uri' },
  statuses: { type: 'array', items: deliveryStatusSchema, description: 'Statuses that trigger it; empty: every change.' },
  active: { type: 'boolean' },
  createdAt: dateTime,
};

export const schemas: Record<string, Schema> = {
  Error: object({
    error: { type: 'object', required: ['code', 'message'], properties: { code: string, message: string } },
    requestId: string,
  }, [], 'Every error: a stable code (AccessDenied, NotFound, InvalidArgument, Conflict, MethodNotAllowed, …) and a message.'),
  AccountInput: object({ name: string, accountId: { type: 'string', pattern: '^\\d{12}$' } }, ['accountId']),
  Account: object({ accountId: string, name: string, createdAt: dateTime }),
  AccountCreated: object({ accountId: string, name: string, accessKeyId: string, secretAccessKey: string }),
  ExplainInput: object({
    principal: { type: 'string', description: 'Root, user, role or assumed-role session ARN, or "anonymous".' },
    action: { type: 'string', examples: ['s3:PutObject'] },
    resource: { type: 'string', description: 'arn:aws:s3:::bucket[/key] or an access point ARN [/object/key].' },
    context: { type: 'object', additionalProperties: string },
  }, ['context']),
  Explanation: object({
    decision: { type: 'string', enum: ['Allow', 'ImplicitDeny', 'ExplicitDeny'] },
    reason: string,
    deciding: { type: 'array', items: { type: 'object', required: ['source', 'kind', 'index', 'effect'] } },
    layers: { type: 'array', items: object({ kind: string, resource: string, owner: string, policy: nullable('string') }) },
    explanation: string,
  }),
  OnboardingRequestInput: object({
    partner: string,
    roleArns: { ...strings, minItems: 1 },
    deliveryAccounts: { ...strings, minItems: 1 },
    region: { type: 'string', examples: ['us-east-1'] },
    sourceBucket: string,
    contacts: { type: 'array', items: contact },
  }, ['sourceBucket', 'contacts']),
  OnboardingRequest: object({
    id: string,
    status: { type: 'string', enum: ['Pending', 'Approved', 'Rejected'] },
    partner: string,
    roleArns: strings,
    deliveryAccounts: strings,
    region: string,
    sourceBucket: nullable('string'),
    contacts: { type: 'array', items: contact },
    requestedBy: string,
    createdAt: dateTime,
    decidedAt: nullable('string', { format: 'date-time' }),
    decidedBy: nullable('string'),
    rejectionReason: nullable('string'),
  }),
  RejectInput: object({ reason: string }),
  Grant: object({
    id: string,
    status: { const: 'Approved' },
    partner: string,
    accessPointArn: string,
    alias: string,
    prefix: string,
    policy: policyDocument,
    commands,
  }, [], 'What an approval gives the partner: where to deliver and the IAM policy for its role.'),
  PartnerSettings: {
    type: 'object',
    additionalProperties: false,
    properties: {
      namingPattern: { type: 'string', description: 'A regular expression every key (after the prefix) must match.' },
      disabledValidators: strings,
      media: { type: 'object', properties: { minWidth: integer, minHeight: integer, videoCodecs: strings, frameRates: { type: 'array', items: { type: 'number' } } } },
    },
  },
  Partner: object(partnerProperties),
  PartnerDetail: object({ ...partnerProperties, policy: policyDocument, commands }),
  RolesInput: object({ roleArns: strings }),
  Delivery: delivery,
  DeliveryDetail: deliveryDetail,
  DeliveryPage: object({ deliveries: { type: 'array', items: ref('Delivery') }, total: integer, nextCursor: nullable('string', { description: 'Pass as ?cursor= for the next page; null on the last.' }) }),
  Stats: object({
    days: { type: 'array', items: object({ day: { type: 'string', format: 'date' }, deliveries: integer, bytes: integer }) },
    byStatus: { type: 'object', additionalProperties: integer },
    byCode: { type: 'object', additionalProperties: integer },
  }),
  WebhookInput: object({
    url: { type: 'string', format: 'uri', description: 'http:// or https:// only.' },
    statuses: { type: 'array', items: deliveryStatusSchema },
    partner: { type: 'string', description: 'Operators: the partner whose deliveries it receives (absent: all). Partners: their own name or absent.' },
  }, ['statuses', 'partner']),
  Webhook: object(webhookProperties),
  WebhookCreated: object({ ...webhookProperties, secret: { type: 'string', description: 'The signing secret; shown only in this response.' } }),
  WebhookDelivery: object({
    id: { type: 'string', description: 'Also sent as X-S3push-Delivery.' },
    webhookId: string,
    event: { type: 'string', enum: ['delivery.status', 'ping'] },
    deliveryId: nullable('string'),
    deliveryStatus: { oneOf: [deliveryStatusSchema, { type: 'null' }] },
    status: { type: 'string', enum: ['Pending', 'Delivered', 'Failed'] },
    attempts: integer,
    nextAttemptAt: nullable('string', { format: 'date-time', description: 'When a Pending delivery is tried next.' }),
    lastResponse: nullable('string'),
    createdAt: dateTime,
    updatedAt: dateTime,
    attemptLog: { type: 'array', items: object({ at: dateTime, statusCode: nullable('integer'), error: nullable('string'), durationMs: integer }) },
  }, [], 'One event sent (or being sent) to one webhook, with every attempt.'),
  DeliveryStatusEvent: object({
    event: { const: 'delivery.status' },
    delivery: { ...ref('Delivery'), description: 'The delivery as GET /deliveries shows it (media dropped, or only its identity, when `truncated`).' },
    previousStatus: { oneOf: [deliveryStatusSchema, { type: 'null' }] },
    at: dateTime,
    truncated: { const: true },
  }, ['truncated'], 'The body POSTed to webhooks when a delivery changes status.'),
  PingEvent: object({ event: { const: 'ping' }, webhook: object({ id: string, url: string, statuses: strings }), at: dateTime }),
};
