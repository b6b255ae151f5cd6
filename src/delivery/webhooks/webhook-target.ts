// Where webhooks may point: http(s) URLs only; never unspecified or link-local addresses (cloud metadata
// endpoints live there); partner hooks also not loopback or private networks unless the operator allows it.
// Checked when a hook is registered (literal addresses) and again when connecting (what DNS answered).
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { S3Error } from '../../core/errors.js';

export const webhookUrlLengthMax = 2048;

export type WebhookOwner = 'operator' | 'partner';

function blockList(subnets: [string, number, 'ipv4' | 'ipv6'][]): BlockList {
  const list = new BlockList();
  for (const [network, prefix, type] of subnets) list.addSubnet(network, prefix, type);
  return list;
}

/** No webhook may reach these: "this host", link-local (169.254.169.254 is the metadata service), AWS's IPv6 metadata address. */
const neverAllowed = blockList([
  ['0.0.0.0', 8, 'ipv4'], ['169.254.0.0', 16, 'ipv4'], ['::', 128, 'ipv6'], ['fe80::', 10, 'ipv6'], ['fd00:ec2::254', 128, 'ipv6'],
]);

/** Loopback, RFC 1918, shared (CGNAT) and unique-local addresses: the platform's own network. */
const privateNetworks = blockList([
  ['127.0.0.0', 8, 'ipv4'], ['10.0.0.0', 8, 'ipv4'], ['172.16.0.0', 12, 'ipv4'], ['192.168.0.0', 16, 'ipv4'], ['100.64.0.0', 10, 'ipv4'],
  ['::1', 128, 'ipv6'], ['fc00::', 7, 'ipv6'],
]);

export class WebhookTargetPolicy {
  constructor(private readonly allowPartnerPrivateTargets: boolean) {}

  /** Why `address` (an IP) may not be a target of an `owner`'s hook, or undefined when it may. */
  addressRefusal(address: string, owner: WebhookOwner): string | undefined {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    const ip = mapped ?? address;
    const type = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    if (neverAllowed.check(ip, type)) return 'unspecified and link-local addresses are never webhook targets';
    if (owner === 'partner' && !this.allowPartnerPrivateTargets && privateNetworks.check(ip, type)) {
      return 'partner webhooks may not target loopback or private network addresses';
    }
    return undefined;
  }

  /** Parses and checks a webhook URL at registration; throws InvalidArgument with the reason. */
  parseUrl(text: unknown, owner: WebhookOwner): URL {
    if (typeof text !== 'string' || text === '') throw new S3Error('InvalidArgument', 'url is required (an http:// or https:// URL).');
    if (text.length > webhookUrlLengthMax) throw new S3Error('InvalidArgument', `url is longer than ${webhookUrlLengthMax} characters.`);
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new S3Error('InvalidArgument', `Not a URL: ${text}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new S3Error('InvalidArgument', `Webhook URLs must be http:// or https://, not ${url.protocol}//.`);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const literal = isIP(host) !== 0 ? host : host === 'localhost' || host.endsWith('.localhost') ? '127.0.0.1' : undefined;
    const refusal = literal === undefined ? undefined : this.addressRefusal(literal, owner);
    if (refusal) throw new S3Error('InvalidArgument', `${url.host}: ${refusal}.`);
    return url;
  }

  /** A dns.lookup for http.request that refuses addresses the owner's hooks may not reach (DNS can change). */
  lookupFor(owner: WebhookOwner): typeof dnsLookup {
    const guarded = (hostname: string, options: LookupAllOptions, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
      dnsLookup(hostname, options, (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => {
        if (error) return callback(error, address, family);
        const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
        for (const candidate of addresses) {
          const refusal = this.addressRefusal(candidate, owner);
          if (refusal) return callback(Object.assign(new Error(`${hostname} resolves to ${candidate}: ${refusal}`), { code: 'EWEBHOOKTARGET' }), address, family);
        }
        callback(null, address, family);
      });
    };
    return guarded as unknown as typeof dnsLookup;
  }
}
