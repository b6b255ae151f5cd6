// JSON API route for the dashboard's figures the stats route does not give: storage used (all delivered
// versions, per partner) and the slowest recent validations. Partners see only their own.
import { limits } from '../../core/limits.js';
import { jsonResponse } from '../../api/json-api.js';
import type { DeliveryRecord, DeliveryStore } from '../../storage/delivery-store.js';
import type { Route } from './router.js';

export function validationMs(record: DeliveryRecord): number {
  return record.validations.reduce((sum, v) => sum + v.durationMs, 0);
}

export function dashboardRoutes(deliveries: DeliveryStore): Route[] {
  return [
    {
      method: 'GET', pattern: '/dashboard', access: 'any', summary: 'Storage used per partner and the slowest validations among recent deliveries',
      handler: async (request) => {
        const partners = (await deliveries.listPartners()).filter((p) => request.actor.kind === 'operator' || p.id === request.actor.partnerId);
        const used = new Map((await deliveries.storageUsed(request.actor.kind === 'partner' ? request.actor.partnerId : undefined)).map((u) => [u.partnerId, u]));
        const byPartner = partners.map((p) => ({ partner: p.name, deliveries: used.get(p.id)?.deliveries ?? 0, bytes: used.get(p.id)?.bytes ?? 0 }));
        const sample = await deliveries.queryDeliveries({
          ...(request.actor.kind === 'partner' ? { partnerId: request.actor.partnerId } : {}),
          sort: 'deliveredAt', order: 'desc', limit: limits.portalSlowestValidationsSampleMax,
        });
        const slowest = sample.deliveries
          .filter((d) => d.validations.length > 0)
          .map((d) => {
            const slowestStep = [...d.validations].sort((a, b) => b.durationMs - a.durationMs)[0]!;
            return { id: d.id, partner: d.partnerName, key: d.key, size: d.sizeBytes, status: d.status, durationMs: validationMs(d), slowestValidator: slowestStep.validator, slowestValidatorMs: slowestStep.durationMs };
          })
          .sort((a, b) => b.durationMs - a.durationMs)
          .slice(0, 10);
        return jsonResponse({
          storage: { bytes: byPartner.reduce((n, p) => n + p.bytes, 0), deliveries: byPartner.reduce((n, p) => n + p.deliveries, 0), byPartner },
          slowestValidations: slowest,
          sampledDeliveries: sample.deliveries.length,
        });
      },
    },
  ];
}
