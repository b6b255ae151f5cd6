// A lean HTTP/1.1 client over one keep-alive socket: precomputed request heads, minimal response parsing.
//
// This is the load generator's core (like MinIO's warp): no IncomingMessage/ClientRequest objects, no
// header maps, one request in flight per connection. It understands Content-Length and chunked
// responses, HEAD, and `Connection: close`; everything else about the response stays as raw text.
import { connect, type Socket } from 'node:net';

/** A response: status, the raw header block (latin1), how many body bytes arrived, and the body if kept. */
export interface RawResponse {
  status: number;
  headerText: string;
  bodyBytes: number;
  body: Buffer | undefined;
}

export interface RawRequest {
  /** Request line, headers and the blank line, ready to write. */
  head: Buffer;
  /** A small body written together with the head. */
  body?: Buffer;
  /** A large body written piece by piece with back-pressure (Content-Length must be in the head). */
  bodyPieces?: () => Iterable<Buffer>;
  /** HEAD responses carry no body whatever Content-Length says. */
  isHead?: boolean;
  /** Keep up to this many body bytes (error bodies, status >= 300, are always kept up to errorBodyBytesMax). */
  keepBodyBytes?: number;
  timeoutMs?: number;
}

const errorBodyBytesMax = 64 * 1024;
const headBytesMax = 64 * 1024;
const defaultTimeoutMs = 60_000;
const crlfcrlf = Buffer.from('\r\n\r\n');

type BodyMode = { kind: 'length'; remaining: number } | { kind: 'chunked'; state: ChunkState };

interface ChunkState {
  phase: 'size' | 'data' | 'data-end' | 'trailer';
  line: string;
  remaining: number;
}

interface InFlight {
  request: RawRequest;
  resolve: (response: RawResponse) => void;
  reject: (error: Error) => void;
  carry: Buffer | undefined;
  status: number;
  headerText: string;
  body: BodyMode | undefined;
  bodyBytes: number;
  keepBytes: number;
  kept: Buffer[];
  keptBytes: number;
  closeAfter: boolean;
  timer: NodeJS.Timeout;
}

export class RawConnection {
  #socket: Socket | undefined;
  #inFlight: InFlight | undefined;
  #connecting: Promise<Socket> | undefined;

  constructor(readonly port: number, readonly host = '127.0.0.1') {}

  /** Opens the socket now (so a measurement does not time the TCP handshake). */
  async open(): Promise<void> {
    await this.#ensureSocket();
  }

  close(): void {
    this.#socket?.destroy();
    this.#socket = undefined;
  }

  async request(request: RawRequest): Promise<RawResponse> {
    if (this.#inFlight) throw new Error('RawConnection: one request at a time');
    const socket = await this.#ensureSocket();
    const done = new Promise<RawResponse>((resolve, reject) => {
      const timeoutMs = request.timeoutMs ?? defaultTimeoutMs;
      const timer = setTimeout(() => this.#fail(new Error(`request timed out after ${timeoutMs} ms`)), timeoutMs);
      this.#inFlight = {
        request, resolve, reject, carry: undefined, status: 0, headerText: '', body: undefined, bodyBytes: 0,
        keepBytes: request.keepBodyBytes ?? 0, kept: [], keptBytes: 0, closeAfter: false, timer,
      };
    });
    if (request.bodyPieces) {
      socket.write(request.head);
      void this.#writePieces(socket, request.bodyPieces());
    } else {
      socket.cork();
      socket.write(request.head);
      if (request.body && request.body.length > 0) socket.write(request.body);
      socket.uncork();
    }
    return done;
  }

  async #writePieces(socket: Socket, pieces: Iterable<Buffer>): Promise<void> {
    const owner = this.#inFlight;
    try {
      for (const piece of pieces) {
        // Stop when the server already answered (an early error) or the socket died.
        if (this.#inFlight !== owner || socket.destroyed) return;
        if (!socket.write(piece)) await drainOrClose(socket);
      }
    } catch (error) {
      if (this.#inFlight === owner) this.#fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #ensureSocket(): Promise<Socket> {
    if (this.#socket && !this.#socket.destroyed) return Promise.resolve(this.#socket);
    if (this.#connecting) return this.#connecting;
    this.#connecting = new Promise<Socket>((resolve, reject) => {
      const socket = connect({ port: this.port, host: this.host, noDelay: true });
      const onError = (error: Error) => { this.#connecting = undefined; reject(error); };
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
        this.#connecting = undefined;
        this.#socket = socket;
        socket.on('data', (chunk: Buffer) => this.#onData(chunk));
        socket.on('error', (error) => this.#fail(error));
        socket.on('close', () => {
          if (this.#socket === socket) this.#socket = undefined;
          this.#fail(new Error('connection closed by server'));
        });
        resolve(socket);
      });
    });
    return this.#connecting;
  }

  #fail(error: Error): void {
    const current = this.#inFlight;
    if (!current) return;
    this.#inFlight = undefined;
    clearTimeout(current.timer);
    this.#socket?.destroy();
    this.#socket = undefined;
    current.reject(error);
  }

  #finish(current: InFlight): void {
    this.#inFlight = undefined;
    clearTimeout(current.timer);
    if (current.closeAfter) {
      this.#socket?.destroy();
      this.#socket = undefined;
    }
    current.resolve({
      status: current.status,
      headerText: current.headerText,
      bodyBytes: current.bodyBytes,
      body: current.kept.length > 0 ? Buffer.concat(current.kept) : undefined,
    });
  }

  #onData(chunk: Buffer): void {
    const current = this.#inFlight;
    if (!current) return; // bytes after a finished response: nothing is pipelined, so ignore them
    if (current.body === undefined) {
      const buffer = current.carry ? Buffer.concat([current.carry, chunk]) : chunk;
      const end = buffer.indexOf(crlfcrlf);
      if (end < 0) {
        if (buffer.length > headBytesMax) return this.#fail(new Error('response head too large'));
        current.carry = buffer;
        return;
      }
      current.carry = undefined;
      const headerText = buffer.toString('latin1', 0, end);
      if (headerText.startsWith('HTTP/1.1 100') || headerText.startsWith('HTTP/1.0 100')) {
        // 100 Continue: skip it and parse what follows as the real response.
        const rest = buffer.subarray(end + 4);
        if (rest.length > 0) this.#onData(rest);
        return;
      }
      current.status = Number(headerText.slice(9, 12));
      current.headerText = headerText;
      current.closeAfter = /\r\nconnection:[ \t]*close/i.test(headerText);
      if (current.status >= 300) current.keepBytes = Math.max(current.keepBytes, errorBodyBytesMax);
      const noBody = current.request.isHead || current.status === 204 || current.status === 304;
      if (noBody) {
        current.body = { kind: 'length', remaining: 0 };
      } else if (/\r\ntransfer-encoding:[ \t]*chunked/i.test(headerText)) {
        current.body = { kind: 'chunked', state: { phase: 'size', line: '', remaining: 0 } };
      } else {
        const length = /\r\ncontent-length:[ \t]*(\d+)/i.exec(headerText);
        if (!length) return this.#fail(new Error(`response without length: ${headerText.split('\r\n')[0]}`));
        current.body = { kind: 'length', remaining: Number(length[1]) };
      }
      const rest = buffer.subarray(end + 4);
      if (current.body.kind === 'length' && current.body.remaining === 0) return this.#finish(current);
      if (rest.length > 0) this.#onBody(current, rest);
      return;
    }
    this.#onBody(current, chunk);
  }

  #keep(current: InFlight, data: Buffer): void {
    current.bodyBytes += data.length;
    if (current.keptBytes < current.keepBytes) {
      const take = data.subarray(0, current.keepBytes - current.keptBytes);
      current.kept.push(Buffer.from(take));
      current.keptBytes += take.length;
    }
  }

  #onBody(current: InFlight, data: Buffer): void {
    const mode = current.body!;
    if (mode.kind === 'length') {
      const take = data.length <= mode.remaining ? data : data.subarray(0, mode.remaining);
      this.#keep(current, take);
      mode.remaining -= take.length;
      if (mode.remaining === 0) this.#finish(current);
      return;
    }
    const state = mode.state;
    let at = 0;
    while (at < data.length) {
      if (state.phase === 'data') {
        const take = Math.min(state.remaining, data.length - at);
        this.#keep(current, data.subarray(at, at + take));
        state.remaining -= take;
        at += take;
        if (state.remaining === 0) { state.phase = 'data-end'; state.line = ''; }
        continue;
      }
      // Line-oriented phases: chunk size line, the CRLF after data, trailer lines.
      const newline = data.indexOf(10, at);
      const piece = data.toString('latin1', at, newline < 0 ? data.length : newline + 1);
      at = newline < 0 ? data.length : newline + 1;
      state.line += piece;
      if (!state.line.endsWith('\n')) {
        if (state.line.length > 8192) return this.#fail(new Error('chunk line too long'));
        continue;
      }
      const line = state.line.trimEnd();
      state.line = '';
      if (state.phase === 'size') {
        const size = parseInt(line, 16);
        if (!Number.isFinite(size)) return this.#fail(new Error(`bad chunk size line: ${line.slice(0, 40)}`));
        if (size === 0) state.phase = 'trailer';
        else { state.phase = 'data'; state.remaining = size; }
      } else if (state.phase === 'data-end') {
        state.phase = 'size';
      } else if (line === '') {
        return this.#finish(current);
      }
    }
  }
}

function drainOrClose(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

/** One keep-alive connection per in-flight request; opened up front. */
export class RawPool {
  readonly connections: RawConnection[];

  constructor(port: number, size: number) {
    this.connections = Array.from({ length: size }, () => new RawConnection(port));
  }

  async open(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.open()));
  }

  close(): void {
    for (const c of this.connections) c.close();
  }
}
