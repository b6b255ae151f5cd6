// What JSON API handlers work with: the API layer's services and the delivery platform's context.
import type { Services } from '../../api/services.js';
import type { DeliveryContext } from '../../delivery/delivery-context.js';

export interface JsonContext {
  services: Services;
  delivery: DeliveryContext;
}
