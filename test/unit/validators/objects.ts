// Delivered objects for validator tests: over a Buffer or a file on disk, with a reader that records every
// range it serves, and a ValidationContext over a set of such objects.
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import type { DeliveredObject, DeliveryScope, ObjectReader, ValidationContext } from '../../../src/delivery/validators/validator.js';

export const scope: DeliveryScope = { partner: 'acme', deliveryAccount: 'acme_uk', rootPrefix: 'acme/acme_uk/' };

/** A reader that records the ranges it served, so tests can check what a validator really read. */
export interface RecordingReader extends ObjectReader {
  reads: Array<[number, number]>;
  readonly bytesServed: number;
}

function recording(sizeBytes: number, readRange: (start: number, end: number) => Promise<Buffer>): RecordingReader {
  const reads: Array<[number, number]> = [];
  return {
    sizeBytes,
    reads,
    get bytesServed() {
      return reads.reduce((sum, [start, end]) => sum + (end - start), 0);
    },
    async read(start, endExclusive, signal) {
      signal?.throwIfAborted();
      const end = Math.min(endExclusive, sizeBytes);
      reads.push([start, end]);
      return readRange(start, end);
    },
  };
}

export function bufferObject(key: string, bytes: Buffer, extra: Partial<Omit<DeliveredObject, 'reader'>> = {}): DeliveredObject & { reader: RecordingReader } {
  return {
    key,
    sizeBytes: bytes.length,
    etag: createHash('md5').update(bytes).digest('hex'),
    checksums: {},
    ...extra,
    reader: recording(bytes.length, async (start, end) => Buffer.from(bytes.subarray(start, end))),
  };
}

/** An object whose bytes are a file; reads go to the file at their offsets (nothing is loaded whole). */
export async function fileObject(key: string, path: string, extra: Partial<Omit<DeliveredObject, 'reader'>> = {}): Promise<DeliveredObject & { reader: RecordingReader }> {
  const { size } = await stat(path);
  const reader = recording(size, async (start, end) => {
    const file = await open(path);
    try {
      const buffer = Buffer.alloc(end - start);
      const { bytesRead } = await file.read(buffer, 0, end - start, start);
      return buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  });
  return { key, sizeBytes: size, etag: 'f'.repeat(32) + '-2', checksums: {}, ...extra, reader };
}

/** A context over a fixed set of objects (sidecars, manifests and package files). */
export function contextOf(objects: DeliveredObject[], deliveryScope: DeliveryScope = scope): ValidationContext & { lookups: string[] } {
  const byKey = new Map(objects.map((o) => [o.key, o]));
  const lookups: string[] = [];
  return {
    scope: deliveryScope,
    lookups,
    async getObject(key) {
      lookups.push(key);
      return byKey.get(key);
    },
    async listKeys(prefix, limit) {
      return [...byKey.keys()].filter((k) => k.startsWith(prefix)).sort().slice(0, limit);
    },
  };
}

export const never = (): AbortSignal => new AbortController().signal;
