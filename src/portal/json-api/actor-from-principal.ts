// SigV4 callers of the JSON API: the platform root is an operator; a partner's delivery role is that partner.
import type { Actor } from '../../api/json-api.js';
import type { RequestContext } from '../../api/context.js';
import type { DeliveryStore } from '../../storage/delivery-store.js';

export function actorResolver(deliveries: DeliveryStore) {
  return async (ctx: RequestContext): Promise<Actor | undefined> => {
    const { principal, services } = ctx;
    if (principal.kind === 'Root' && principal.accountId === services.config.platformAccountId) return { kind: 'operator', label: 'operator' };
    if (principal.kind !== 'AssumedRole') return undefined;
    const partner = (await deliveries.listPartners()).find((p) => p.status === 'Active' && p.roleArns.includes(principal.principalArn));
    return partner ? { kind: 'partner', partnerId: partner.id, label: principal.arn } : undefined;
  };
}
