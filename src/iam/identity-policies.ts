// The caller's side of authorization: a principal's identity, session and boundary policies, parsed once.
// Parsed documents are cached by text; a principal's policy set is cached until IAM changes.
import { limits } from '../core/limits.js';
import type { Clock } from '../core/clock.js';
import type { IamStore, PolicyOwner } from '../storage/iam-store.js';
import { parsePolicy } from './policy/parse-policy.js';
import type { ParsedPolicy, PolicyKind } from './policy/parsed-policy.js';
import type { ParsedPolicyRef } from './authorize.js';
import type { Principal } from './principal.js';

/** Parsed policy documents by (kind, text): parsing happens once per distinct document. */
export class PolicyCache {
  private readonly entries = new Map<string, ParsedPolicy>();
  constructor(private readonly capacity: number = limits.parsedPolicyCacheEntriesMax) {}

  parse(text: string, kind: PolicyKind): ParsedPolicy {
    const id = kind + '\0' + text;
    const hit = this.entries.get(id);
    if (hit) return hit;
    const parsed = parsePolicy(text, { kind, maxBytes: Number.MAX_SAFE_INTEGER });
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(id, parsed);
    return parsed;
  }
}

export interface CallerPolicies {
  identity: ParsedPolicyRef[];
  session?: ParsedPolicyRef[];
  boundary?: ParsedPolicyRef;
}

/** The role or user whose policies a principal carries; undefined for root and anonymous callers. */
export function policyOwnerOf(principal: Principal): PolicyOwner | undefined {
  if (principal.kind === 'User' && principal.accountId && principal.username) return { kind: 'user', accountId: principal.accountId, name: principal.username };
  if (principal.kind === 'AssumedRole' && principal.accountId) {
    const roleArn = principal.principalArn;
    return { kind: 'role', accountId: principal.accountId, name: roleArn.slice(roleArn.lastIndexOf('/') + 1) };
  }
  return undefined;
}

const generationTtlMs = 1_000;

export class IdentityPolicies {
  private readonly byOwner = new Map<string, { generation: number; uniqueId: string | undefined; policies: Omit<CallerPolicies, 'session'> }>();
  private generation = { value: -1, checkedMs: -Infinity };

  constructor(private readonly iam: IamStore, private readonly cache: PolicyCache, private readonly clock: Clock) {}

  async forPrincipal(principal: Principal): Promise<CallerPolicies> {
    const owner = policyOwnerOf(principal);
    const session = this.sessionPolicies(principal);
    if (!owner) return { identity: [], ...(session ? { session } : {}) };
    const generation = await this.currentGeneration();
    const id = `${owner.kind}\0${owner.accountId}\0${owner.name}`;
    let entry = this.byOwner.get(id);
    if (!entry || entry.generation !== generation) {
      entry = { generation, ...(await this.load(owner)) };
      if (this.byOwner.size >= limits.principalPolicyCacheEntriesMax) this.byOwner.delete(this.byOwner.keys().next().value!);
      this.byOwner.set(id, entry);
    }
    // Sessions and keys belong to an entity's unique id, not its name: a user or role deleted and
    // created again under the same name does not hand its new permissions to old credentials.
    const caller = principal.kind === 'AssumedRole' ? principal.userId.slice(0, principal.userId.indexOf(':')) : principal.userId;
    if (entry.uniqueId !== caller) return { identity: [], ...(session ? { session } : {}) };
    return { ...entry.policies, ...(session ? { session } : {}) };
  }

  /** Forget cached policy sets now (this process changed IAM). */
  invalidate(): void {
    this.generation.checkedMs = -Infinity;
  }

  private async currentGeneration(): Promise<number> {
    const now = this.clock.nowMs();
    if (now - this.generation.checkedMs > generationTtlMs) {
      this.generation = { value: await this.iam.iamGeneration(), checkedMs: now };
    }
    return this.generation.value;
  }

  private async load(owner: PolicyOwner): Promise<{ uniqueId: string | undefined; policies: Omit<CallerPolicies, 'session'> }> {
    const label = `${owner.kind} ${owner.name}`;
    const entity = owner.kind === 'user' ? await this.iam.getUser(owner.accountId, owner.name) : await this.iam.getRole(owner.accountId, owner.name);
    if (!entity) return { uniqueId: undefined, policies: { identity: [] } };
    const uniqueId = 'roleId' in entity ? entity.roleId : entity.userId;
    const identity: ParsedPolicyRef[] = [];
    for (const inline of await this.iam.listInlinePolicies(owner)) {
      identity.push({ source: `inline policy ${inline.policyName} of ${label}`, kind: 'identity', policy: this.cache.parse(inline.document, 'identity') });
    }
    for (const attached of await this.iam.attachedPolicyDocuments(owner)) {
      identity.push({ source: `managed policy ${attached.arn} attached to ${label}`, kind: 'identity', policy: this.cache.parse(attached.document, 'identity') });
    }
    // A user also carries the policies of every group it belongs to.
    const groups = owner.kind === 'user' ? await this.iam.listGroupsForUser(owner.accountId, owner.name) : [];
    for (const group of groups) {
      const groupOwner: PolicyOwner = { kind: 'group', accountId: group.accountId, name: group.name };
      for (const inline of await this.iam.listInlinePolicies(groupOwner)) {
        identity.push({ source: `inline policy ${inline.policyName} of group ${group.name} (${label} is a member)`, kind: 'identity', policy: this.cache.parse(inline.document, 'identity') });
      }
      for (const attached of await this.iam.attachedPolicyDocuments(groupOwner)) {
        identity.push({ source: `managed policy ${attached.arn} attached to group ${group.name} (${label} is a member)`, kind: 'identity', policy: this.cache.parse(attached.document, 'identity') });
      }
    }
    const boundaryArn = entity.permissionsBoundaryArn;
    if (boundaryArn) {
      const policy = await this.iam.getManagedPolicy(boundaryArn);
      const version = policy ? await this.iam.getPolicyVersion(boundaryArn, policy.defaultVersionId) : undefined;
      if (version) return { uniqueId, policies: { identity, boundary: { source: `permissions boundary ${boundaryArn} of ${label}`, kind: 'permissionsBoundary', policy: this.cache.parse(version.document, 'identity') } } };
    }
    return { uniqueId, policies: { identity } };
  }

  /** Session policies travel with the temporary key (a JSON array of documents fixed at AssumeRole). */
  private sessionPolicies(principal: Principal): ParsedPolicyRef[] | undefined {
    const text = principal.accessKey?.sessionPolicy;
    if (!text) return undefined;
    const documents = JSON.parse(text) as { source: string; document: string }[];
    return documents.map((d) => ({ source: d.source, kind: 'session' as const, policy: this.cache.parse(d.document, 'identity') }));
  }
}
