// The validation a delivery goes through: the pipeline's own checks (the connection test file) and then
// every configured validator, in order, each bounded by the queue's deadline.
import type { DeliveryRecord, ValidationOutcome } from '../../storage/delivery-store.js';
import type { DeliveryContext } from '../delivery-context.js';
import type { DeliveryValidator, ValidationVerdict } from './validation-queue.js';

/** `PREFIX/test.txt` or `PREFIX/<account>/test.txt`: the connection check of the partner guide. */
export function isConnectionTestFile(record: DeliveryRecord, prefix: string): boolean {
  const rest = record.key.slice(prefix.length + 1);
  return rest === 'test.txt' || rest === `${record.deliveryAccount}/test.txt`;
}

export function createDeliveryValidator(context: DeliveryContext): DeliveryValidator {
  return async (record: DeliveryRecord): Promise<ValidationVerdict> => {
    const started = context.clock.nowMs();
    const partner = await context.deliveries.getPartner(record.partnerId);
    const validations: ValidationOutcome[] = [];
    if (partner && isConnectionTestFile(record, partner.prefix)) {
      await context.deliveries.markDeliveryAccountVerified(partner.id, record.deliveryAccount, record.deliveredMs, record.deliveredBy);
      validations.push({ validator: 'test-file', outcome: 'passed', issues: [], details: { deliveryAccount: record.deliveryAccount, verified: true }, durationMs: context.clock.nowMs() - started });
    }
    return { validations };
  };
}
