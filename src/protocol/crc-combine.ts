// Combining CRCs of consecutive byte ranges into the CRC of their concatenation (zlib's crc32_combine, generalised).
//
// Why: a multipart upload's FULL_OBJECT checksum is the CRC of the whole object; combining the
// stored per-part CRCs gives it without re-reading gigabytes. For a reflected CRC whose init and
// xorout are equal (true of CRC-32, CRC-32C and CRC-64/NVME, all ones):
//   crc(A ‖ B) = crc(A) · x^(8·|B|) mod P  ⊕  crc(B)
// Polynomials are held in the reflected bit order the CRC registers use, as two uint32 halves
// (hi, lo) of a 64-bit word; a 32-bit CRC lives in `hi` with `lo` zero. The highest bit of `hi`
// is x^0.

import assert from 'node:assert';

export type CrcAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME';

export interface CrcPart {
  /** The part's CRC as big-endian bytes (4 for CRC32/CRC32C, 8 for CRC64NVME). */
  digest: Uint8Array;
  lengthBytes: number;
}

interface CrcField {
  widthBits: 32 | 64;
  polyHi: number;
  polyLo: number;
}

const fields: Record<CrcAlgorithm, CrcField> = {
  CRC32: { widthBits: 32, polyHi: 0xedb88320, polyLo: 0 },
  CRC32C: { widthBits: 32, polyHi: 0x82f63b78, polyLo: 0 },
  CRC64NVME: { widthBits: 64, polyHi: 0x9a6c9329, polyLo: 0xac4bc9b5 },
};

/** A polynomial modulo P, reflected, as two uint32 halves. */
interface Poly {
  hi: number;
  lo: number;
}

const one: Poly = { hi: 0x80000000, lo: 0 };

/** a · b mod P (carry-less), bit by bit over a, as zlib's multmodp. */
function multiply(field: CrcField, a: Poly, b: Poly): Poly {
  let productHi = 0;
  let productLo = 0;
  let bHi = b.hi;
  let bLo = b.lo;
  for (let degree = 0; degree < field.widthBits; degree++) {
    const bit = degree < 32 ? (a.hi >>> (31 - degree)) & 1 : (a.lo >>> (63 - degree)) & 1;
    if (bit) {
      productHi ^= bHi;
      productLo ^= bLo;
    }
    // b ← b · x mod P: shift toward higher degrees, reduce when x^(width-1) falls off.
    if (field.widthBits === 64) {
      const carry = bLo & 1;
      bLo = (bLo >>> 1) | (bHi << 31);
      bHi >>>= 1;
      if (carry) {
        bHi ^= field.polyHi;
        bLo ^= field.polyLo;
      }
    } else {
      const carry = bHi & 1;
      bHi >>>= 1;
      if (carry) bHi ^= field.polyHi;
    }
  }
  return { hi: productHi >>> 0, lo: productLo >>> 0 };
}

/** Computes x^(8·n) mod P by square-and-multiply over a table of x^(2^k). */
class ZerosOperator {
  readonly #field: CrcField;
  /** powersOfTwo[k] = x^(2^k) mod P. */
  readonly #powersOfTwo: Poly[] = [];
  readonly #cache = new Map<number, Poly>();

  constructor(field: CrcField) {
    this.#field = field;
    let power: Poly = { hi: 0x40000000, lo: 0 }; // x^1
    // Byte counts are below 2^53, so x^(8n) needs exponents up to 2^(3+53).
    for (let k = 0; k < 3 + 53; k++) {
      this.#powersOfTwo.push(power);
      power = multiply(field, power, power);
    }
  }

  /** x^(8·lengthBytes) mod P, cached because parts of one upload mostly share a size. */
  forLength(lengthBytes: number): Poly {
    const cached = this.#cache.get(lengthBytes);
    if (cached) return cached;
    let result = one;
    let n = lengthBytes;
    for (let k = 3; n > 0; k++) {
      if (n % 2 === 1) result = multiply(this.#field, this.#powersOfTwo[k]!, result);
      n = Math.floor(n / 2);
    }
    this.#cache.set(lengthBytes, result);
    return result;
  }
}

function readCrc(field: CrcField, digest: Uint8Array): Poly {
  assert.equal(digest.length, field.widthBits / 8, 'CRC digest has the wrong length');
  const view = Buffer.from(digest.buffer, digest.byteOffset, digest.length);
  return field.widthBits === 64
    ? { hi: view.readUInt32BE(0), lo: view.readUInt32BE(4) }
    : { hi: view.readUInt32BE(0), lo: 0 };
}

/**
 * The CRC of the concatenation of `parts`, in order, from each part's CRC and length alone.
 * Zero parts give the CRC of no bytes (all zero).
 */
export function combineCrc(algorithm: CrcAlgorithm, parts: readonly CrcPart[]): Buffer {
  const field = fields[algorithm];
  const zeros = new ZerosOperator(field);
  let combined: Poly = { hi: 0, lo: 0 };
  for (const part of parts) {
    assert(Number.isSafeInteger(part.lengthBytes) && part.lengthBytes >= 0, 'part length must be a byte count');
    const crc = readCrc(field, part.digest);
    const shifted = multiply(field, zeros.forLength(part.lengthBytes), combined);
    combined = { hi: (shifted.hi ^ crc.hi) >>> 0, lo: (shifted.lo ^ crc.lo) >>> 0 };
  }
  const out = Buffer.allocUnsafe(field.widthBits / 8);
  out.writeUInt32BE(combined.hi, 0);
  if (field.widthBits === 64) out.writeUInt32BE(combined.lo, 4);
  return out;
}
