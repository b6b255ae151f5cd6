// JSON API routes for accounts, onboarding, partners and the access explainer.
import { S3Error } from '../../core/errors.js';
import { createAccountWithRootKey } from '../../iam/accounts.js';
import { jsonResponse, type JsonRequest } from '../../api/json-api.js';
import { approveOnboarding, grantFor, rejectOnboarding, requestOnboarding, setPartnerRoles } from '../../delivery/onboarding.js';
import type { OnboardingStatus, PartnerContact, PartnerRecord, PartnerSettings } from '../../storage/delivery-store.js';
import type { JsonContext } from './json-context.js';
import type { Route } from './router.js';
import { explainAccess, type ExplainRequest } from './explain.js';
import { onboardingView, partnerView } from './views.js';

function body(request: JsonRequest): Record<string, unknown> {
  const value = request.body ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new S3Error('InvalidArgument', 'The request body must be a JSON object.');
  return value as Record<string, unknown>;
}

function stringList(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new S3Error('InvalidArgument', `${name} must be a list of strings.`);
  return value as string[];
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new S3Error('InvalidArgument', `${name} must be a string.`);
  return value;
}

/** Account and role name of a role ARN (any path) or of an assumed-role session ARN; undefined otherwise. */
export function roleOfPrincipal(arn: string): { accountId: string; name: string } | undefined {
  const m = /^arn:aws:iam::(\d{12}):role\/(?:[^/]+\/)*([^/]+)$/.exec(arn) ?? /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(arn);
  return m ? { accountId: m[1]!, name: m[2]! } : undefined;
}

/** The partner a request may see: partners only their own; operators any, by name. */
export async function visiblePartner(app: JsonContext, request: JsonRequest, name: string): Promise<PartnerRecord> {
  const partner = await app.delivery.deliveries.getPartnerByName(name);
  if (!partner || (request.actor.kind === 'partner' && request.actor.partnerId !== partner.id)) throw new S3Error('NotFound', `No partner ${name}.`);
  return partner;
}

export function platformRoutes(app: JsonContext): Route[] {
  const { delivery } = app;
  return [
    {
      method: 'POST', pattern: '/accounts', access: 'operator', summary: 'Create an emulated AWS account with root keys',
      handler: async (request) => {
        const b = body(request);
        const name = optionalString(b['name'], 'name');
        if (!name) throw new S3Error('InvalidArgument', 'name is required.');
        const accountId = optionalString(b['accountId'], 'accountId');
        const created = await createAccountWithRootKey(app.services.meta, app.services.clock, { name, ...(accountId ? { accountId } : {}) });
        return jsonResponse({ accountId: created.account.accountId, name: created.account.name, accessKeyId: created.accessKeyId, secretAccessKey: created.secretAccessKey }, 201);
      },
    },
    {
      method: 'GET', pattern: '/accounts', access: 'operator', summary: 'List accounts',
      handler: async () => jsonResponse((await app.services.meta.listAccounts()).map((a) => ({ accountId: a.accountId, name: a.name, createdAt: new Date(a.createdMs).toISOString() }))),
    },
    {
      method: 'POST', pattern: '/explain', access: 'any', summary: 'Explain an authorization decision',
      handler: async (request) => {
        const explained = body(request) as unknown as ExplainRequest;
        if (request.actor.kind === 'partner') {
          const partner = await delivery.deliveries.getPartner(request.actor.partnerId!);
          const asked = roleOfPrincipal(String(explained.principal ?? ''));
          const allowed = asked !== undefined && partner?.roleArns.some((arn) => {
            const own = roleOfPrincipal(arn);
            return own !== undefined && own.accountId === asked.accountId && own.name === asked.name;
          });
          if (!allowed) throw new S3Error('AccessDenied', 'Partners may explain decisions for their own delivery roles only.');
          // …and on their own access point or source buckets, so no other partner's policy is shown.
          const resource = String(explained.resource ?? '');
          const ownResource = resource === partner!.accessPointArn || resource.startsWith(`${partner!.accessPointArn}/object/`) ||
            partner!.sourceBuckets.some((b) => resource === `arn:aws:s3:::${b}` || resource.startsWith(`arn:aws:s3:::${b}/`));
          if (!ownResource) throw new S3Error('AccessDenied', 'Partners may explain decisions on their own access point and source buckets only.');
        }
        return jsonResponse(await explainAccess(app, explained));
      },
    },
    {
      method: 'POST', pattern: '/onboarding-requests', access: 'any', summary: 'Request onboarding (role ARNs, delivery accounts, region, source bucket)',
      handler: async (request) => {
        const b = body(request);
        let partnerName = optionalString(b['partner'], 'partner') ?? '';
        if (request.actor.kind === 'partner') {
          // A partner asks for changes to itself only (more roles, accounts or source buckets).
          const own = await delivery.deliveries.getPartner(request.actor.partnerId!);
          if (!own || (partnerName && partnerName.toLowerCase() !== own.name.toLowerCase())) throw new S3Error('AccessDenied', 'Partners may file onboarding requests for themselves only.');
          partnerName = own.name;
        }
        const created = await requestOnboarding(delivery, {
          partnerName,
          roleArns: stringList(b['roleArns'], 'roleArns'),
          deliveryAccounts: stringList(b['deliveryAccounts'], 'deliveryAccounts'),
          region: optionalString(b['region'], 'region') ?? '',
          sourceBucket: optionalString(b['sourceBucket'], 'sourceBucket'),
          contacts: (Array.isArray(b['contacts']) ? b['contacts'] : []) as PartnerContact[],
          requestedBy: request.actor.label,
        });
        return jsonResponse(onboardingView(created), 201);
      },
    },
    {
      method: 'GET', pattern: '/onboarding-requests', access: 'operator', summary: 'List onboarding requests (?status=Pending|Approved|Rejected)',
      handler: async (request) => {
        const status = request.query.get('status') as OnboardingStatus | null;
        return jsonResponse((await delivery.deliveries.listOnboardingRequests(status ?? undefined)).map(onboardingView));
      },
    },
    {
      method: 'GET', pattern: '/onboarding-requests/:id', access: 'operator', summary: 'One onboarding request',
      handler: async (_request, params) => {
        const found = await delivery.deliveries.getOnboardingRequest(params['id']!);
        if (!found) throw new S3Error('NotFound', `No onboarding request ${params['id']}.`);
        return jsonResponse(onboardingView(found));
      },
    },
    {
      method: 'POST', pattern: '/onboarding-requests/:id/approve', access: 'operator', summary: 'Approve: provision the access point, prefix and policies',
      handler: async (request, params) => jsonResponse(await approveOnboarding(delivery, params['id']!, request.actor.label)),
    },
    {
      method: 'POST', pattern: '/onboarding-requests/:id/reject', access: 'operator', summary: 'Reject with a reason',
      handler: async (request, params) => {
        const reason = optionalString(body(request)['reason'], 'reason') ?? '';
        return jsonResponse(onboardingView(await rejectOnboarding(delivery, params['id']!, reason, request.actor.label)));
      },
    },
    {
      method: 'GET', pattern: '/partners', access: 'any', summary: 'Partners (a partner sees itself)',
      handler: async (request) => {
        const all = await delivery.deliveries.listPartners();
        const visible = request.actor.kind === 'partner' ? all.filter((p) => p.id === request.actor.partnerId) : all;
        return jsonResponse(await Promise.all(visible.map(async (p) => partnerView(p, await delivery.deliveries.listDeliveryAccounts(p.id)))));
      },
    },
    {
      method: 'GET', pattern: '/partners/:name', access: 'any', summary: 'A partner with its access details, IAM policy and commands',
      handler: async (request, params) => {
        const partner = await visiblePartner(app, request, params['name']!);
        const accounts = await delivery.deliveries.listDeliveryAccounts(partner.id);
        const grant = grantFor(delivery, '', partner, partner.sourceBuckets, partner.roleArns[0]);
        return jsonResponse({ ...partnerView(partner, accounts), policy: grant.policy, commands: grant.commands });
      },
    },
    {
      method: 'PUT', pattern: '/partners/:name/roles', access: 'operator', summary: 'Replace the delivering roles (empty revokes)',
      handler: async (request, params) => {
        const updated = await setPartnerRoles(delivery, params['name']!, stringList(body(request)['roleArns'], 'roleArns'));
        return jsonResponse(partnerView(updated, await delivery.deliveries.listDeliveryAccounts(updated.id)));
      },
    },
    {
      method: 'PUT', pattern: '/partners/:name/settings', access: 'operator', summary: 'Validation settings of a partner',
      handler: async (request, params) => {
        const partner = await visiblePartner(app, request, params['name']!);
        const settings = body(request) as PartnerSettings;
        if (settings.namingPattern !== undefined) {
          try { new RegExp(settings.namingPattern); } catch { throw new S3Error('InvalidArgument', 'namingPattern is not a valid regular expression.'); }
        }
        const updated = { ...partner, settings, updatedMs: app.services.clock.nowMs() };
        await delivery.deliveries.putPartner(updated);
        return jsonResponse(partnerView(updated, await delivery.deliveries.listDeliveryAccounts(updated.id)));
      },
    },
  ];
}
