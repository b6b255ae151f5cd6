// A tiny method + path-pattern router for the JSON API (`/deliveries/:id`), with the actor checks in one place.
import { S3Error } from '../../core/errors.js';
import type { ApiResponse } from '../../api/context.js';
import type { JsonRequest } from '../../api/json-api.js';

export type RouteHandler = (request: JsonRequest, params: Record<string, string>) => Promise<ApiResponse>;

export interface Route {
  method: string;
  pattern: string;
  /** 'operator': operators only; 'any': operators and partners (handlers scope partners to their own data). */
  access: 'operator' | 'any';
  summary: string;
  handler: RouteHandler;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

export class Router {
  private readonly routes: CompiledRoute[];

  constructor(routes: Route[]) {
    this.routes = routes.map((route) => {
      const names: string[] = [];
      const source = route.pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      return { ...route, regex: new RegExp(`^${source}$`), names };
    });
  }

  list(): readonly Route[] {
    return this.routes;
  }

  async handle(request: JsonRequest): Promise<ApiResponse> {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.regex.exec(request.path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== request.method) continue;
      if (route.access === 'operator' && request.actor.kind !== 'operator') throw new S3Error('AccessDenied', 'Only platform operators may do this.');
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => { params[name] = decodeURIComponent(m[i + 1]!); });
      return route.handler(request, params);
    }
    if (pathMatched) throw new S3Error('MethodNotAllowed', `${request.method} is not allowed on ${request.path}.`);
    throw new S3Error('NotFound', `No API route ${request.method} /api/v1${request.path}.`);
  }
}
