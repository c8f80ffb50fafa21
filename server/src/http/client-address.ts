import ipaddr from 'ipaddr.js';

/*
 * Where a request comes from, for rate limits. Behind reverse proxies, X-Forwarded-For is a list
 * each proxy appends to; everything left of what our own proxies added was written by the client
 * and proves nothing. So with N trusted proxies the client is the N-th entry from the right.
 */

/**
 * The client's address as the nearest of our `trustedProxies` proxies saw it, or the socket's peer
 * when no proxy is trusted or the header is shorter than our proxy chain (it then did not come
 * through all of them, and nothing in it can be believed).
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | undefined,
  trustedProxies: number,
): string {
  const peer = socketAddress ?? 'unknown';
  if (trustedProxies <= 0 || forwardedFor === undefined) return peer;
  const entries = forwardedFor
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const client = entries[entries.length - trustedProxies];
  return client !== undefined && ipaddr.isValid(client) ? client : peer;
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
