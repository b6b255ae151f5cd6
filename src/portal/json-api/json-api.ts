// The JSON API (/api/v1): one route table served on the AWS port (SigV4) and the portal port (session/token).
import { S3Error } from '../../core/errors.js';
import type { JsonApi } from '../../api/json-api.js';
import { DeliveryConflict } from '../../storage/delivery-store.js';
import { IamConflict } from '../../storage/iam-store.js';
import type { JsonContext } from './json-context.js';
import { deliveryRoutes } from './delivery-routes.js';
import { platformRoutes } from './platform-routes.js';
import { Router, type Route } from './router.js';

export function jsonApiRoutes(app: JsonContext, extra: Route[] = []): Route[] {
  return [...platformRoutes(app), ...deliveryRoutes(app), ...extra];
}

export function createJsonApi(routes: Route[]): JsonApi {
  const router = new Router(routes);
  return async (request) => {
    try {
      return await router.handle(request);
    } catch (error) {
      if (error instanceof DeliveryConflict) throw new S3Error(error.reason, error.message);
      if (error instanceof IamConflict) throw new S3Error(error.reason === 'NoSuchEntity' ? 'NotFound' : 'Conflict', error.message);
      throw error;
    }
  };
}
