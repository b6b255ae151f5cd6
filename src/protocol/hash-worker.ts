// The hash worker thread: keeps one running hash per session id and answers off-thread-hash.ts's messages.
// Each batch's buffer goes back with its acknowledgement, so the sender reuses it.
import { createHash, type Hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import type { HashReply, HashRequest } from './off-thread-hash.js';

const port = parentPort!;
const hashes = new Map<number, Hash>();

port.on('message', (message: HashRequest) => {
  switch (message.type) {
    case 'open':
      hashes.set(message.id, createHash(message.algorithm));
      break;
    case 'update': {
      hashes.get(message.id)?.update(new Uint8Array(message.data, 0, message.length));
      port.postMessage({ type: 'ack', id: message.id, data: message.data } satisfies HashReply, [message.data]);
      break;
    }
    case 'digest': {
      const hash = hashes.get(message.id);
      hashes.delete(message.id);
      const digest = hash ? hash.digest() : Buffer.alloc(0);
      const data = digest.buffer.slice(digest.byteOffset, digest.byteOffset + digest.length);
      port.postMessage({ type: 'digest', id: message.id, data } satisfies HashReply, [data]);
      break;
    }
    case 'close':
      hashes.delete(message.id);
      break;
  }
});
