// One webhook attempt: POST the body with its headers, within a deadline covering connect, response and body.
// Any 2xx is a success; redirects are not followed (a moved receiver must update its registration).
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { lookup as dnsLookup } from 'node:dns';

/** Receivers' answers are read only to finish the exchange; past this they are cut off. */
export const webhookResponseBytesMax = 64 * 1024;

export interface AttemptResult {
  statusCode?: number;
  error?: string;
  durationMs: number;
  /** Cut short by `signal` (the dispatcher is stopping): not an attempt, the delivery stays due. */
  aborted?: true;
}

export interface PostOptions {
  timeoutMs: number;
  lookup: typeof dnsLookup;
  signal: AbortSignal;
}

export function postWebhook(url: URL, body: string, headers: Record<string, string>, options: PostOptions): Promise<AttemptResult> {
  const startMs = Date.now();
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<AttemptResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      req.destroy();
      resolve({ ...result, durationMs: Date.now() - startMs });
    };
    const onAbort = () => finish({ error: 'aborted: the server is stopping', aborted: true });
    const timer = setTimeout(() => finish({ error: `timed out after ${options.timeoutMs} ms` }), options.timeoutMs);
    const req = send(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 's3push-webhooks/1' },
      lookup: options.lookup,
      agent: false,
    }, (res: IncomingMessage) => {
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > webhookResponseBytesMax) finish({ statusCode: res.statusCode ?? 0 });
      });
      res.on('end', () => finish({ statusCode: res.statusCode ?? 0 }));
      res.on('error', (error: Error) => finish({ statusCode: res.statusCode ?? 0, error: error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => finish({ error: error.code && !error.message.includes(error.code) ? `${error.code}: ${error.message}` : error.message }));
    if (options.signal.aborted) return onAbort();
    options.signal.addEventListener('abort', onAbort, { once: true });
    req.end(body);
  });
}
