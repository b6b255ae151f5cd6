// IPv4/IPv6 addresses and CIDR blocks for the IpAddress/NotIpAddress condition operators (aws:SourceIp).

import { isIPv4, isIPv6 } from 'node:net';

export interface IpAddressBytes {
  /** 4 bytes for IPv4, 16 for IPv6. */
  bytes: Uint8Array;
}

export interface Cidr {
  bytes: Uint8Array;
  prefixBits: number;
}

/** Parses an address; an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, what a dual-stack socket reports) becomes IPv4. */
export function parseIpAddress(text: string): IpAddressBytes | undefined {
  if (isIPv4(text)) return { bytes: ipv4Bytes(text) };
  if (!isIPv6(text)) return undefined;
  const bytes = ipv6Bytes(text);
  if (!bytes) return undefined;
  if (isV4Mapped(bytes)) return { bytes: bytes.slice(12) };
  return { bytes };
}

/** `203.0.113.0/24`, `2001:DB8:1234:5678::/64`, or a bare address (= /32 or /128, as AWS documents). */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const address = isIPv4(addressText) ? ipv4Bytes(addressText) : isIPv6(addressText) ? ipv6Bytes(addressText) : undefined;
  if (!address) return undefined;
  const maxBits = address.length * 8;
  if (slash < 0) return { bytes: address, prefixBits: maxBits };
  const bitsText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText)) return undefined;
  const prefixBits = Number(bitsText);
  if (prefixBits > maxBits) return undefined;
  return { bytes: address, prefixBits };
}

export function cidrContains(cidr: Cidr, address: IpAddressBytes): boolean {
  const a = address.bytes;
  const c = cidr.bytes;
  if (a.length !== c.length) return false;
  const fullBytes = cidr.prefixBits >> 3;
  for (let i = 0; i < fullBytes; i++) if (a[i] !== c[i]) return false;
  const restBits = cidr.prefixBits & 7;
  if (restBits === 0) return true;
  const mask = (0xff << (8 - restBits)) & 0xff;
  return (a[fullBytes]! & mask) === (c[fullBytes]! & mask);
}

function ipv4Bytes(text: string): Uint8Array {
  return Uint8Array.from(text.split('.').map(Number));
}

/** Expands `::` and a trailing dotted IPv4 part; input already passed net.isIPv6. */
function ipv6Bytes(text: string): Uint8Array | undefined {
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const v4 = text.slice(lastColon + 1);
    if (!isIPv4(v4)) return undefined;
    tail = [...ipv4Bytes(v4)];
    text = text.slice(0, lastColon + 1) + '0:0';
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const headGroups = head ? head.split(':') : [];
  const restGroups = rest ? rest.split(':') : [];
  const missing = 8 - headGroups.length - restGroups.length;
  if (missing < 0 || (rest === undefined && missing !== 0)) return undefined;
  const groups = [...headGroups, ...Array<string>(rest === undefined ? 0 : missing).fill('0'), ...restGroups];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    bytes[i * 2] = n >> 8;
    bytes[i * 2 + 1] = n & 0xff;
  });
  if (tail.length) bytes.set(tail, 12);
  return bytes;
}

function isV4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}
