import ipaddr from 'ipaddr.js';

/*
 * Where a request comes from, for rate limits. Behind reverse proxies, X-Forwarded-For is a list
 * each proxy appends to; everything left of what our own proxies added was written by the client
 * and proves nothing. So with N trusted proxies the client is the N-th entry from the right.
 */

/** Where our proxies connect from: by default this machine only (a proxy beside the server). */
export const LOCAL_PROXIES: readonly string[] = ['127.0.0.0/8', '::1/128'];

export interface ProxyTrust {
  /** How many proxies of ours append to X-Forwarded-For; 0 believes none of it. */
  readonly hops: number;
  /** Addresses or CIDR ranges our nearest proxy connects from; anyone else's header is ignored. */
  readonly from: readonly string[];
}

/**
 * The client's address as the nearest of our proxies saw it. The socket's peer instead when no
 * proxy is trusted, when the peer is not one of our proxies (a client reaching the port directly
 * writes its own header), or when the header is shorter than our proxy chain.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | undefined,
  trust: ProxyTrust,
): string {
  const peer = socketAddress ?? 'unknown';
  if (trust.hops <= 0 || forwardedFor === undefined || !isOneOf(peer, trust.from)) return peer;
  const entries = forwardedFor
    .split(',')
    .map((entry) => withoutPort(entry.trim()))
    .filter((entry) => entry !== '');
  const client = entries[entries.length - trust.hops];
  return client !== undefined && ipaddr.isValid(client) ? client : peer;
}

/** `203.0.113.7:51234` and `[2001:db8::1]:443` as some proxies write them, without the port. */
function withoutPort(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed?.[1] !== undefined) return bracketed[1];
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(entry);
  return v4?.[1] ?? entry;
}

function isOneOf(address: string, ranges: readonly string[]): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  return ranges.some((range) => {
    const [network, bits] = range.includes('/') ? ipaddr.parseCIDR(range) : [ipaddr.process(range), -1];
    const width = bits === -1 ? (network.kind() === 'ipv4' ? 32 : 128) : bits;
    return parsed.kind() === network.kind() && parsed.match(network, width);
  });
}

/** `TRUSTED_PROXY_ADDRESSES`: a comma-separated list of addresses or CIDR ranges, each checked. */
export function parseProxyAddresses(text: string): string[] {
  const ranges = text
    .split(',')
    .map((each) => each.trim())
    .filter((each) => each !== '');
  for (const range of ranges) {
    const isValid = range.includes('/') ? ipaddr.isValidCIDR(range) : ipaddr.isValid(range);
    if (!isValid) throw new RangeError(`TRUSTED_PROXY_ADDRESSES: "${range}" is not an address or CIDR range`);
  }
  return ranges;
}

/**
 * The key an address is limited under. IPv6 by its /64, since one household or phone is given a
 * whole /64 to hop around in; IPv4-mapped IPv6 (`::ffff:192.0.2.1`) counts as the IPv4 address.
 */
export function limitGroup(address: string): string {
  if (!ipaddr.isValid(address)) return address === 'unknown' ? address : 'invalid';
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((part) => part.toString(16)).join(':')}::/64`;
}
