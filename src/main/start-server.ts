// The composition root: opens the stores, bootstraps the platform, wires the API and starts listening.
// Nothing else constructs long-lived objects; everything is passed down from here.
import { createServer, type Server } from 'node:http';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { limits } from '../core/limits.js';
import { systemClock, type Clock } from '../core/clock.js';
import { SigningKeyCache } from '../protocol/sigv4.js';
import { CredentialResolver } from '../iam/credential-resolver.js';
import { openSqliteStores } from '../storage/sqlite/sqlite-meta-store.js';
import { IdentityPolicies, PolicyCache } from '../iam/identity-policies.js';
import { handleQueryApi } from '../api/query-api.js';
import { stsApi } from '../api/sts/sts-actions.js';
import { iamApi } from '../api/iam/iam-api.js';
import { handleS3Control } from '../api/s3control/handle-s3control.js';
import { openFsBlobStore } from '../storage/fs/fs-blob-store.js';
import { EncryptedBlobStore } from '../storage/encrypted-blob-store.js';
import { loadOrCreateMasterKey } from '../storage/master-key.js';
import { createRequestHandler } from '../api/pipeline.js';
import type { Logger, Services } from '../api/services.js';
import type { ObjectOwnership } from '../storage/types.js';
import { bootstrapPlatform, type PlatformFacts } from './bootstrap.js';
import { dataDirLayout, type DataDirLayout } from './data-dir.js';
import { GarbageCollector } from './garbage-collector.js';
import { createLogger } from './logger.js';
import { createDeliveryPlatform, type DeliveryPlatform } from './start-delivery.js';
import { createAdminHandler } from '../api/admin/handle-admin.js';
import { createJsonApi, jsonApiRoutes } from '../portal/json-api/json-api.js';
import { actorResolver } from '../portal/json-api/actor-from-principal.js';
import type { WebhookDispatcher, WebhookSettings } from '../delivery/webhooks/webhook-dispatcher.js';
import { webhookRoutes } from '../portal/json-api/webhook-routes.js';
import { openApiRoute } from '../portal/json-api/openapi.js';
import { deliveryView } from '../portal/json-api/views.js';
import type { Route } from '../portal/json-api/router.js';
// Slate, the portal (its own port).
import { startPortal, type PortalServer } from '../portal/portal-server.js';
import { userRoutes } from '../portal/json-api/user-routes.js';
import { dashboardRoutes } from '../portal/json-api/dashboard-routes.js';
import { operatorPasswordSetting } from '../portal/auth/portal-auth.js';

export interface ServerOptions {
  dataDir: string;
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** AWS API port; 0 picks a free one. */
  port: number;
  region?: string;
  /** Extra base host names for virtual-host-style addressing (localhost and 127.0.0.1 are always on). */
  domains?: string[];
  deliveryBucket?: string;
  /** Slate's port (0 picks a free one); undefined: no portal (most tests need only the AWS endpoint). */
  portalPort?: number;
  quiet?: boolean;
  clock?: Clock;
  log?: Logger;
  /** Webhook timeouts, back-off and attempt limits (defaults: core/limits.ts). */
  webhooks?: WebhookSettings;
  /**
   * Object Ownership of buckets created without x-amz-object-ownership. AWS's default since April 2023 is
   * BucketOwnerEnforced (ACLs disabled); ObjectWriter emulates the earlier default (ACLs on, writers own objects).
   */
  objectOwnershipDefault?: ObjectOwnership;
}

export interface RunningServer {
  endpoint: string;
  port: number;
  platform: PlatformFacts;
  layout: DataDirLayout;
  services: Services;
  delivery: DeliveryPlatform;
  webhooks: WebhookDispatcher;
  /** Slate, when portalPort was given; portalPort and portalUrl say where it listens. */
  portal?: PortalServer;
  portalPort?: number;
  portalUrl?: string;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger({ quiet: options.quiet ?? false });
  const region = options.region ?? 'us-east-1';
  const layout = dataDirLayout(options.dataDir);
  await mkdir(layout.root, { recursive: true, mode: 0o700 });

  const stores = openSqliteStores({ path: layout.metaDatabase, clock });
  const { meta, iam } = stores;
  const rawBlobs = await openFsBlobStore({ dir: layout.blobsRoot });
  const blobs = new EncryptedBlobStore(rawBlobs, await loadOrCreateMasterKey(layout.masterKey));
  const startedMs = clock.nowMs();
  await blobs.sweepTemporary();

  const platform = await bootstrapPlatform(meta, clock, layout, region, options.deliveryBucket);
  const policyCache = new PolicyCache();
  const services: Services = {
    config: {
      region,
      baseHosts: [...new Set(['localhost', '127.0.0.1', ...(options.domains ?? [])].map((h) => h.toLowerCase()))],
      trustForwardedFor: false,
      platformAccountId: platform.accountId,
      objectOwnershipDefault: options.objectOwnershipDefault ?? 'BucketOwnerEnforced',
    },
    clock,
    meta,
    iam,
    blobs,
    policyCache,
    identityPolicies: new IdentityPolicies(iam, policyCache, clock),
    signingKeys: new SigningKeyCache(),
    credentials: new CredentialResolver(meta, clock),
    log,
  };

  const collector = new GarbageCollector(meta, blobs, log);
  collector.start();
  void collector.sweepOrphans(startedMs).then(
    (removed) => { if (removed > 0) log.info('removed orphaned blobs', { removed }); },
    (error: unknown) => log.error('orphan sweep failed', { error: String(error) }),
  );

  // The endpoint is known once listening; generated partner commands read it later.
  const platformInfo = { accountId: platform.accountId, deliveryBucket: platform.deliveryBucket, region, endpoint: '' };
  const delivery = await createDeliveryPlatform(services, stores.deliveries, platformInfo, { view: deliveryView, settings: options.webhooks });
  const { webhooks } = delivery;
  const jsonContext = { services, delivery: delivery.context };
  const portalRoutes = [...userRoutes({ users: stores.portal, deliveries: stores.deliveries, clock }), ...dashboardRoutes(stores.deliveries)];
  const routes: Route[] = jsonApiRoutes(jsonContext, [...webhookRoutes(jsonContext, webhooks), ...portalRoutes, openApiRoute(() => routes)]);
  const jsonApi = createJsonApi(routes);

  const server = createServer({ maxHeaderSize: limits.headerBytesMax, requestTimeout: 0, headersTimeout: limits.headersTimeoutMs, keepAliveTimeout: limits.keepAliveTimeoutMs });
  const handler = createRequestHandler(services, {
    sts: (ctx) => handleQueryApi(ctx, stsApi),
    iam: (ctx) => handleQueryApi(ctx, iamApi),
    s3control: handleS3Control,
    admin: createAdminHandler(jsonApi, actorResolver(stores.deliveries)),
  });
  server.on('request', handler);
  server.on('checkContinue', handler);
  // Node answers unknown Expect values with 417 itself unless someone listens; S3 ignores them.
  server.on('checkExpectation', handler);
  server.maxConnections = limits.connectionsMax;
  server.setTimeout(limits.bodyIdleTimeoutMs, (socket) => socket.destroy());
  const port = await listen(server, options.port, options.host ?? '127.0.0.1');
  const endpoint = `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}`;
  platformInfo.endpoint = endpoint;
  await delivery.start();

  /** Stops the AWS endpoint and everything behind it (the portal is closed first by close()). */
  async function closeCore(): Promise<void> {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await delivery.stop();
    await collector.stop();
    await stores.close();
  }

  let portal: PortalServer | undefined;
  try {
    portal = options.portalPort === undefined ? undefined : await startPortal({
      host: options.host ?? '127.0.0.1', port: options.portalPort, api: jsonApi, users: stores.portal, statuses: delivery.validation,
      clock, log, bootstrapOperatorHash: await meta.getSetting(operatorPasswordSetting),
    });
  } catch (error) {
    // A portal port in use must not leave a half-started server answering on the AWS port.
    await closeCore();
    throw error;
  }

  return {
    endpoint,
    port,
    platform,
    layout,
    services,
    delivery,
    webhooks,
    ...(portal ? { portal, portalPort: portal.port, portalUrl: portal.url } : {}),
    async close() {
      await portal?.close();
      await closeCore();
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
