// JSON API routes for Slate's local users (operators only): list, create (a generated password is returned
// once), reset a password, delete. Partner users are scoped to exactly one partner.
import { S3Error } from '../../core/errors.js';
import { randomBytes } from 'node:crypto';
import { hashPassword } from '../../core/password-hash.js';
import { jsonResponse, type JsonRequest } from '../../api/json-api.js';
import { PortalConflict, type PortalStore, type PortalUser } from '../../storage/portal-store.js';
import type { DeliveryStore } from '../../storage/delivery-store.js';
import type { Clock } from '../../core/clock.js';
import { generatePassword, passwordProblem } from '../auth/portal-auth.js';
import type { Route } from './router.js';

const userNamePattern = /^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/;

export interface UserRoutesDeps {
  users: PortalStore;
  deliveries: DeliveryStore;
  clock: Clock;
}

function bodyOf(request: JsonRequest): Record<string, unknown> {
  const value = request.body ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new S3Error('InvalidArgument', 'The request body must be a JSON object.');
  return value as Record<string, unknown>;
}

function text(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new S3Error('InvalidArgument', `${name} must be a string.`);
  return value;
}

/** The user view: never the password hash. */
export async function userView(user: PortalUser, deliveries: DeliveryStore) {
  const partner = user.partnerId ? await deliveries.getPartner(user.partnerId) : undefined;
  return {
    id: user.id,
    name: user.name,
    role: user.role,
    partner: partner?.name ?? null,
    createdAt: new Date(user.createdMs).toISOString(),
    createdBy: user.createdBy,
  };
}

async function withConflicts<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PortalConflict) throw new S3Error(error.reason, error.message);
    throw error;
  }
}

export function userRoutes(deps: UserRoutesDeps): Route[] {
  const { users, deliveries, clock } = deps;
  async function userNamed(name: string): Promise<PortalUser> {
    const user = await users.getUserByName(name);
    if (!user) throw new S3Error('NotFound', `No user ${name}.`);
    return user;
  }
  return [
    {
      method: 'GET', pattern: '/users', access: 'operator', summary: 'Portal users (?partner=NAME)',
      handler: async (request) => {
        const partnerName = request.query.get('partner');
        let partnerId: string | undefined;
        if (partnerName) {
          const partner = await deliveries.getPartnerByName(partnerName);
          if (!partner) throw new S3Error('NotFound', `No partner ${partnerName}.`);
          partnerId = partner.id;
        }
        return jsonResponse(await Promise.all((await users.listUsers(partnerId)).map((u) => userView(u, deliveries))));
      },
    },
    {
      method: 'POST', pattern: '/users', access: 'operator', summary: 'Create a portal user {name, role: operator|partner, partner, password?}; a generated password is returned once',
      handler: async (request) => {
        const b = bodyOf(request);
        const name = text(b['name'], 'name') ?? '';
        if (!userNamePattern.test(name)) throw new S3Error('InvalidArgument', 'A user name is 2-64 letters, digits, dots, hyphens, underscores or @.');
        const role = text(b['role'], 'role') ?? 'partner';
        if (role !== 'operator' && role !== 'partner') throw new S3Error('InvalidArgument', 'role must be operator or partner.');
        let partnerId: string | undefined;
        if (role === 'partner') {
          const partnerName = text(b['partner'], 'partner');
          if (!partnerName) throw new S3Error('InvalidArgument', 'A partner user needs the partner it belongs to.');
          const partner = await deliveries.getPartnerByName(partnerName);
          if (!partner) throw new S3Error('NotFound', `No partner ${partnerName}.`);
          partnerId = partner.id;
        }
        const given = text(b['password'], 'password');
        const password = given ?? generatePassword();
        const problem = passwordProblem(password);
        if (problem) throw new S3Error('InvalidArgument', problem);
        const nowMs = clock.nowMs();
        const user: PortalUser = {
          id: `usr-${randomBytes(8).toString('hex')}`, name, role, ...(partnerId ? { partnerId } : {}),
          passwordHash: hashPassword(password), createdMs: nowMs, updatedMs: nowMs, createdBy: request.actor.label,
        };
        await withConflicts(() => users.createUser(user));
        return jsonResponse({ ...(await userView(user, deliveries)), ...(given ? {} : { password }) }, 201);
      },
    },
    {
      method: 'PUT', pattern: '/users/:name/password', access: 'operator', summary: 'Set or reset a password {password?}; ends the user\'s sessions; a generated password is returned once',
      handler: async (request, params) => {
        const user = await userNamed(params['name']!);
        const given = text(bodyOf(request)['password'], 'password');
        const password = given ?? generatePassword();
        const problem = passwordProblem(password);
        if (problem) throw new S3Error('InvalidArgument', problem);
        await withConflicts(() => users.updateUser({ ...user, passwordHash: hashPassword(password), updatedMs: clock.nowMs() }));
        await users.deleteUserSessions(user.id);
        return jsonResponse({ ...(await userView(user, deliveries)), ...(given ? {} : { password }) });
      },
    },
    {
      method: 'DELETE', pattern: '/users/:name', access: 'operator', summary: 'Delete a portal user and end its sessions',
      handler: async (request, params) => {
        const user = await userNamed(params['name']!);
        if (user.role === 'operator' && (await users.listUsers()).filter((u) => u.role === 'operator').length === 1) {
          throw new S3Error('Conflict', 'The last operator cannot be deleted.');
        }
        if (request.actor.label === `user ${user.name}`) throw new S3Error('Conflict', 'You cannot delete yourself.');
        await users.deleteUser(user.id);
        return jsonResponse({ deleted: user.name });
      },
    },
  ];
}
