// The OpenAPI 3.1 description of the JSON API, generated from the route table (the single source of methods,
// paths, summaries and access) plus, per operation, its parameters and the schemas in openapi-schemas.ts.
// Served at GET /api/v1/openapi.json on both fronts.
import { jsonResponse } from '../../api/json-api.js';
import { sessionCookieName } from '../auth/portal-auth.js';
import { deliveryPageMax } from './delivery-routes.js';
import { deliveryStatusSchema, schemas } from './openapi-schemas.js';
import type { Route } from './router.js';
import { webhookLogPageMax } from './webhook-routes.js';

type Schema = Record<string, unknown>;

interface QueryParameter {
  name: string;
  schema: Schema;
  description: string;
}

interface OperationDoc {
  query?: QueryParameter[];
  /** Schema name of the JSON request body. */
  request?: string;
  /** Status and schema (a name, or a schema) of the success response; `csv` for text/csv; no schema for no body. */
  response: { status: number; schema?: string | Schema; csv?: true };
}

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const listOf = (name: string): Schema => ({ type: 'array', items: ref(name) });

const deliveryFilters: QueryParameter[] = [
  { name: 'partner', schema: { type: 'string' }, description: 'Partner name (operators; a partner always sees only its own).' },
  { name: 'status', schema: deliveryStatusSchema, description: 'Only deliveries in this status.' },
  { name: 'account', schema: { type: 'string' }, description: 'Delivery account name.' },
  { name: 'search', schema: { type: 'string' }, description: 'Substring of the key.' },
  { name: 'from', schema: { type: 'string', format: 'date-time' }, description: 'Delivered at or after (ISO-8601).' },
  { name: 'to', schema: { type: 'string', format: 'date-time' }, description: 'Delivered before (ISO-8601).' },
  { name: 'sort', schema: { type: 'string', enum: ['deliveredAt', 'key', 'size', 'status'], default: 'deliveredAt' }, description: 'Sort field.' },
  { name: 'order', schema: { type: 'string', enum: ['asc', 'desc'], default: 'desc' }, description: 'Sort order.' },
];
const partnerFilter: QueryParameter = { name: 'partner', schema: { type: 'string' }, description: 'Partner name (operators only).' };

/** Per operation ("METHOD pattern"): what the route table does not say. A test checks every key names a route. */
export const operationDocs: Record<string, OperationDoc> = {
  'POST /accounts': { request: 'AccountInput', response: { status: 201, schema: 'AccountCreated' } },
  'GET /accounts': { response: { status: 200, schema: listOf('Account') } },
  'POST /explain': { request: 'ExplainInput', response: { status: 200, schema: 'Explanation' } },
  'POST /onboarding-requests': { request: 'OnboardingRequestInput', response: { status: 201, schema: 'OnboardingRequest' } },
  'GET /onboarding-requests': {
    query: [{ name: 'status', schema: { type: 'string', enum: ['Pending', 'Approved', 'Rejected'] }, description: 'Only requests in this status.' }],
    response: { status: 200, schema: listOf('OnboardingRequest') },
  },
  'GET /onboarding-requests/:id': { response: { status: 200, schema: 'OnboardingRequest' } },
  'POST /onboarding-requests/:id/approve': { response: { status: 200, schema: 'Grant' } },
  'POST /onboarding-requests/:id/reject': { request: 'RejectInput', response: { status: 200, schema: 'OnboardingRequest' } },
  'GET /partners': { response: { status: 200, schema: listOf('Partner') } },
  'GET /partners/:name': { response: { status: 200, schema: 'PartnerDetail' } },
  'PUT /partners/:name/roles': { request: 'RolesInput', response: { status: 200, schema: 'Partner' } },
  'PUT /partners/:name/settings': { request: 'PartnerSettings', response: { status: 200, schema: 'Partner' } },
  'GET /deliveries': {
    query: [
      ...deliveryFilters,
      { name: 'cursor', schema: { type: 'string' }, description: 'nextCursor of the previous page.' },
      { name: 'limit', schema: { type: 'integer', minimum: 1, maximum: deliveryPageMax, default: 50 }, description: 'Page size.' },
    ],
    response: { status: 200, schema: 'DeliveryPage' },
  },
  'GET /deliveries.csv': { query: deliveryFilters, response: { status: 200, csv: true } },
  'GET /deliveries/:id': { response: { status: 200, schema: 'DeliveryDetail' } },
  'GET /stats': {
    query: [partnerFilter, { name: 'days', schema: { type: 'integer', minimum: 1, maximum: 366, default: 30 }, description: 'How many days back.' }],
    response: { status: 200, schema: 'Stats' },
  },
  'GET /webhooks': { query: [partnerFilter], response: { status: 200, schema: listOf('Webhook') } },
  'POST /webhooks': { request: 'WebhookInput', response: { status: 201, schema: 'WebhookCreated' } },
  'DELETE /webhooks/:id': { response: { status: 204 } },
  'GET /webhooks/:id/deliveries': {
    query: [{ name: 'limit', schema: { type: 'integer', minimum: 1, maximum: webhookLogPageMax, default: 50 }, description: 'How many, newest first.' }],
    response: { status: 200, schema: listOf('WebhookDelivery') },
  },
  'POST /webhooks/:id/test': { response: { status: 200, schema: 'WebhookDelivery' } },
  'GET /openapi.json': { response: { status: 200, schema: { type: 'object', description: 'This document.' } } },
};

export interface OpenApiOptions {
  /** The portal's session cookie name. */
  sessionCookieName: string;
}

const defaultOptions: OpenApiOptions = { sessionCookieName };

/** `/deliveries/:id` → `/deliveries/{id}` and its parameter names. */
export function openApiPath(pattern: string): { path: string; names: string[] } {
  const names: string[] = [];
  const path = pattern.replace(/:(\w+)/g, (_, name: string) => {
    names.push(name);
    return `{${name}}`;
  });
  return { path, names };
}

function operationId(method: string, pattern: string): string {
  const words = pattern.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1));
  return method.toLowerCase() + words.join('');
}

function operation(route: Route): Schema {
  const doc = operationDocs[`${route.method} ${route.pattern}`];
  const { names } = openApiPath(route.pattern);
  const parameters = [
    ...names.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
    ...(doc?.query ?? []).map((q) => ({ name: q.name, in: 'query', required: false, description: q.description, schema: q.schema })),
  ];
  const response = doc?.response ?? { status: 200, schema: { type: 'object' } };
  const content = response.csv
    ? { 'text/csv': { schema: { type: 'string', description: 'Header row, then one row per delivery (every page).' } } }
    : response.schema === undefined ? undefined : { 'application/json': { schema: typeof response.schema === 'string' ? ref(response.schema) : response.schema } };
  return {
    operationId: operationId(route.method, route.pattern),
    summary: route.summary,
    ...(route.access === 'operator' ? { description: 'Operators only; partners get AccessDenied.' } : {}),
    tags: [route.pattern.split('/')[1]!.replace(/\..*$/, '')],
    'x-s3push-access': route.access,
    ...(parameters.length ? { parameters } : {}),
    ...(doc?.request ? { requestBody: { required: true, content: { 'application/json': { schema: ref(doc.request) } } } } : {}),
    responses: {
      [String(response.status)]: { description: response.status === 204 ? 'Done; no body.' : 'Success.', ...(content ? { content } : {}) },
      default: { description: 'An error (4xx: the request; 5xx: the server).', content: { 'application/json': { schema: ref('Error') } } },
    },
  };
}

export function openApiDocument(routes: readonly Route[], options: OpenApiOptions = defaultOptions): Schema {
  const paths: Record<string, Record<string, Schema>> = {};
  for (const route of routes) {
    const { path } = openApiPath(route.pattern);
    (paths[path] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  const signatureHeaders = ['X-S3push-Signature', 'X-S3push-Event', 'X-S3push-Delivery'].map((name) => ({ name, in: 'header', required: true, schema: { type: 'string' } }));
  return {
    openapi: '3.1.0',
    info: {
      title: 's3push JSON API',
      version: '1',
      description: 'Onboarding, partners, deliveries, statistics and webhooks of an s3push server. Operators see everything; '
        + 'a partner (its delivery role on the AWS port, or its portal users) sees only its own data. Errors are JSON with a stable code.',
    },
    servers: [{ url: '/api/v1', description: 'The same API on the AWS port (SigV4) and the portal port (session or token).' }],
    security: [{ sigv4: [] }, { sessionCookie: [] }, { bearerToken: [] }],
    paths,
    webhooks: {
      'delivery.status': {
        post: {
          summary: 'A delivery changed status (signed; see docs/webhooks.md)',
          parameters: signatureHeaders,
          requestBody: { required: true, content: { 'application/json': { schema: ref('DeliveryStatusEvent') } } },
          responses: { '2XX': { description: 'Received. Anything else is retried with back-off.' } },
        },
      },
      ping: {
        post: {
          summary: 'A test delivery (POST /webhooks/{id}/test)',
          parameters: signatureHeaders,
          requestBody: { required: true, content: { 'application/json': { schema: ref('PingEvent') } } },
          responses: { '2XX': { description: 'Received.' } },
        },
      },
    },
    components: {
      schemas,
      securitySchemes: {
        sigv4: {
          type: 'apiKey', in: 'header', name: 'Authorization',
          description: 'AWS Signature Version 4 on the AWS port, service name `s3push`, the server\'s region. The platform\'s root '
            + 'credentials act as operator; a partner\'s delivery role (an STS session) acts as that partner. `s3push` CLI admin commands sign this way.',
          'x-amazon-apigateway-authtype': 'awsSigv4',
        },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: options.sessionCookieName, description: 'Slate portal session (portal port).' },
        bearerToken: { type: 'http', scheme: 'bearer', description: 'A portal API token (portal port): `Authorization: Bearer <token>`.' },
      },
    },
  };
}

/** GET /openapi.json over the final route table (passed lazily: the table includes this route). */
export function openApiRoute(routes: () => readonly Route[], options: OpenApiOptions = defaultOptions): Route {
  let cached: string | undefined;
  return {
    method: 'GET', pattern: '/openapi.json', access: 'any', summary: 'This API\'s OpenAPI 3.1 description',
    handler: async () => {
      cached ??= JSON.stringify(openApiDocument(routes(), options));
      return { ...jsonResponse(null), body: cached };
    },
  };
}
