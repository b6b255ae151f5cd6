// The live events feed (/api/v1/events): delivery status changes as server-sent events, each stream scoped to
// its actor (a partner sees only its own deliveries), with a bounded number of clients and heartbeats.
import type { ServerResponse } from 'node:http';
import type { Actor } from '../api/json-api.js';
import type { DeliveryRecord } from '../storage/delivery-store.js';
import { deliveryView } from './json-api/views.js';

export interface StatusSource {
  onStatus(listener: (record: DeliveryRecord) => void): () => void;
}

export interface EventsFeedOptions {
  clientsMax: number;
  heartbeatMs: number;
  /** A client whose unsent output exceeds this is too slow and is disconnected. */
  bufferedBytesMax: number;
  /** Checked on every heartbeat: a stream whose session ended is closed. */
  stillAllowed?: ((client: FeedClient) => Promise<boolean>) | undefined;
}

export interface FeedClient {
  actor: Actor;
  /** The session token behind the stream, when it came from a session. */
  token?: string | undefined;
}

interface OpenClient extends FeedClient {
  response: ServerResponse;
}

export class EventsFeed {
  private readonly clients = new Set<OpenClient>();
  private unsubscribe: (() => void) | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private nextEventId = 1;

  constructor(private readonly source: StatusSource, private readonly options: EventsFeedOptions) {}

  start(): void {
    this.unsubscribe = this.source.onStatus((record) => this.publish(record));
    this.heartbeat = setInterval(() => void this.beat(), this.options.heartbeatMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Starts a stream on `response`; false (nothing written) when the feed is full. */
  open(response: ServerResponse, client: FeedClient): boolean {
    if (this.clients.size >= this.options.clientsMax) return false;
    const open: OpenClient = { ...client, response };
    this.clients.add(open);
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // Proxies such as nginx would otherwise hold events back.
      'x-accel-buffering': 'no',
    });
    response.socket?.setTimeout(0);
    response.write(`retry: 3000\n: connected\n\n`);
    response.on('close', () => this.clients.delete(open));
    return true;
  }

  publish(record: DeliveryRecord): void {
    if (this.clients.size === 0) return;
    const view = deliveryView(record);
    const message = `id: ${this.nextEventId++}\nevent: delivery\ndata: ${JSON.stringify(view)}\n\n`;
    for (const client of this.clients) {
      if (client.actor.kind === 'partner' && client.actor.partnerId !== record.partnerId) continue;
      this.send(client, message);
    }
  }

  /** Ends every stream (server shutdown). */
  close(): void {
    this.unsubscribe?.();
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.response.end();
    this.clients.clear();
  }

  private send(client: OpenClient, message: string): void {
    if (client.response.writableLength > this.options.bufferedBytesMax) {
      this.clients.delete(client);
      client.response.destroy();
      return;
    }
    client.response.write(message);
  }

  private async beat(): Promise<void> {
    for (const client of [...this.clients]) {
      if (this.options.stillAllowed && !(await this.options.stillAllowed(client))) {
        this.clients.delete(client);
        client.response.end('event: session-ended\ndata: {}\n\n');
        continue;
      }
      this.send(client, ': heartbeat\n\n');
    }
  }
}
