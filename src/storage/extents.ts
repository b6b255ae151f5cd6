// Objects as ordered extents of immutable blobs: slicing a byte range and streaming it back.
import type { BlobStore, ByteRange } from './blob-store.js';
import type { Extent } from './types.js';

export function extentsSizeBytes(extents: readonly Extent[]): number {
  let total = 0;
  for (const e of extents) total += e.lengthBytes;
  return total;
}

/** The extents covering [range.start, range.end) of an object made of `extents`. */
export function sliceExtents(extents: readonly Extent[], range: ByteRange): Extent[] {
  const out: Extent[] = [];
  let position = 0;
  for (const extent of extents) {
    const extentEnd = position + extent.lengthBytes;
    const start = Math.max(range.start, position);
    const end = Math.min(range.end, extentEnd);
    if (start < end) {
      out.push({ blobId: extent.blobId, offsetBytes: extent.offsetBytes + (start - position), lengthBytes: end - start });
    }
    position = extentEnd;
    if (position >= range.end) break;
  }
  return out;
}

/** Streams the bytes of `extents` (optionally only `range` of them), blob after blob. */
export async function* readExtents(blobs: BlobStore, extents: readonly Extent[], range?: ByteRange, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const pieces = range ? sliceExtents(extents, range) : extents;
  for (const piece of pieces) {
    if (piece.lengthBytes === 0) continue;
    yield* blobs.read(piece.blobId, { start: piece.offsetBytes, end: piece.offsetBytes + piece.lengthBytes }, { signal });
  }
}
