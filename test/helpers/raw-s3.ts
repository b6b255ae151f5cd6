// Raw S3 exchanges for tests: SDK commands with the exact response bytes captured, any request signed by the
// real AWS SDK v3 signer, or anonymous; plus a small XML reader for the assertions. (raw-request.ts signs with
// s3push's own signer, for what the SDK cannot send: wrong hashes, cut-off bodies.)
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Credentials } from './server.js';
import { loopbackAgent } from './s3-client.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RawRequest {
  method: string;
  /** Sent exactly as given (already percent-encoded), e.g. `/bucket/%ZZ`. */
  path: string;
  /** Key-only parameters (`?versions`) have the value null. */
  query?: Record<string, string | null>;
  headers?: Record<string, string>;
  body?: string;
}

type HandleArgs = Parameters<NodeHttpHandler['handle']>;
type HandleResult = Awaited<ReturnType<NodeHttpHandler['handle']>>;

/** A NodeHttpHandler that keeps the last response's bytes (and hands the SDK an identical copy). */
class CapturingHandler extends NodeHttpHandler {
  last: RawResponse | undefined;

  override async handle(request: HandleArgs[0], options?: HandleArgs[1]): Promise<HandleResult> {
    this.last = undefined;
    const result = await super.handle(request, options);
    const chunks: Buffer[] = [];
    for await (const chunk of result.response.body as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
    const body = Buffer.concat(chunks);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(result.response.headers)) headers[name.toLowerCase()] = String(value);
    this.last = { status: result.response.statusCode, headers, body: body.toString('utf8') };
    result.response.body = Readable.from([body]);
    return result;
  }
}

/** An SDK client (path style, no retries) whose every exchange can be inspected byte for byte. */
export class RawS3 {
  readonly client: S3Client;
  private readonly handler: CapturingHandler;

  constructor(endpoint: string, credentials: Credentials, region = 'us-east-1') {
    this.handler = new CapturingHandler({ httpAgent: loopbackAgent() });
    this.client = new S3Client({ endpoint, region, credentials, forcePathStyle: true, maxAttempts: 1, requestHandler: this.handler });
  }

  /** Sends an SDK command; returns its output or error together with the raw response. */
  async send<T>(command: { middlewareStack: unknown }): Promise<{ output?: T; error?: Error & { name: string; $metadata?: { httpStatusCode?: number } }; raw: RawResponse }> {
    try {
      const output = (await this.client.send(command as never)) as T;
      return { output, raw: this.captured() };
    } catch (error) {
      return { error: error as Error & { name: string }, raw: this.captured() };
    }
  }

  /** Any request, signed by the SDK's own signer after the request is rewritten to `spec`. */
  async request(spec: RawRequest): Promise<RawResponse> {
    const command = new ListBucketsCommand({});
    command.middlewareStack.add(
      (next) => async (args) => {
        const req = (args as { request: { method: string; path: string; query: Record<string, string | null>; headers: Record<string, string>; body?: unknown } }).request;
        req.method = spec.method;
        req.path = spec.path;
        // The SDK signer leaves null-valued parameters out of the canonical query, so key-only ones go as `key=`.
        req.query = Object.fromEntries(Object.entries(spec.query ?? {}).map(([k, v]) => [k, v ?? '']));
        for (const name of Object.keys(req.headers)) if (name.toLowerCase() === 'content-length' || name.toLowerCase() === 'content-type') delete req.headers[name];
        Object.assign(req.headers, spec.headers ?? {});
        if (spec.body !== undefined) {
          req.body = spec.body;
          req.headers['content-length'] = String(Buffer.byteLength(spec.body));
        } else {
          delete req.body;
        }
        return next(args);
      },
      { step: 'build', priority: 'low', name: 'rawRequestRewrite' },
    );
    await this.client.send(command).catch(() => undefined);
    return this.captured();
  }

  destroy(): void {
    this.client.destroy();
  }

  private captured(): RawResponse {
    if (!this.handler.last) throw new Error('no response was captured (the request never reached the server)');
    return this.handler.last;
  }
}

/** An unsigned request through node:http, the path sent byte for byte. */
export function anonymousRequest(endpoint: string, spec: RawRequest): Promise<RawResponse> {
  const url = new URL(endpoint);
  const query = Object.entries(spec.query ?? {}).map(([k, v]) => (v === null ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)).join('&');
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: url.hostname, port: url.port, method: spec.method, path: spec.path + (query ? `?${query}` : ''),
      headers: { ...(spec.body !== undefined ? { 'content-length': String(Buffer.byteLength(spec.body)) } : {}), ...spec.headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(spec.body);
  });
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_m, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : entities[e]!);
}

/** Text of every `<name>…</name>` (or `<name/>`) in document order, entities decoded; nested markup kept raw. */
export function xmlAll(xml: string, name: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<${name}(?:\\s[^>]*)?(?:/>|>([\\s\\S]*?)</${name}>)`, 'g');
  for (const m of xml.matchAll(re)) out.push(unescapeXml(m[1] ?? ''));
  return out;
}

/** The single `<name>` element's text, or undefined when absent (fails when it repeats). */
export function xmlOne(xml: string, name: string): string | undefined {
  const all = xmlAll(xml, name);
  if (all.length > 1) throw new Error(`<${name}> occurs ${all.length} times`);
  return all[0];
}

/** The names of the root element's direct children, in order. */
export function xmlChildNames(xml: string): string[] {
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '');
  const root = /^<([A-Za-z]+)[^>]*>([\s\S]*)<\/\1>\s*$/.exec(body);
  if (!root) return [];
  const names: string[] = [];
  let rest = root[2]!;
  for (;;) {
    const m = /^\s*<([A-Za-z]+)(?:\s[^>]*)?(\/?)>/.exec(rest);
    if (!m) return names;
    names.push(m[1]!);
    if (m[2] === '/') {
      rest = rest.slice(m[0].length);
      continue;
    }
    const close = `</${m[1]}>`;
    // Children of S3 documents never nest an element inside one of the same name.
    rest = rest.slice(rest.indexOf(close) + close.length);
  }
}
