import { describe, expect, it } from 'vitest';
import { clientAddress, limitGroup, LOCAL_PROXIES, parseProxyAddresses } from './client-address.ts';

const one = { hops: 1, from: LOCAL_PROXIES };

describe('clientAddress', () => {
  it('ignores X-Forwarded-For unless a proxy is trusted', () => {
    expect(clientAddress('203.0.113.9', '198.51.100.1', { hops: 0, from: LOCAL_PROXIES })).toBe(
      '203.0.113.9',
    );
  });

  it('takes the entry the trusted proxy added, not the one the client wrote', () => {
    // The client sent "X-Forwarded-For: 1.2.3.4"; our proxy appended the address it really saw.
    expect(clientAddress('127.0.0.1', '1.2.3.4, 198.51.100.7', one)).toBe('198.51.100.7');
    expect(clientAddress('::1', '1.2.3.4,198.51.100.7, 10.0.0.2', { ...one, hops: 2 })).toBe('198.51.100.7');
    expect(clientAddress('127.0.0.1', '1.2.3.4, 198.51.100.7:51234', one)).toBe('198.51.100.7');
    expect(clientAddress('127.0.0.1', '1.2.3.4, [2001:db8::7]:443', one)).toBe('2001:db8::7');
  });

  it('falls back to the socket when the header is shorter than the proxy chain or not an address', () => {
    expect(clientAddress('127.0.0.1', '198.51.100.7', { ...one, hops: 2 })).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', 'not-an-address', one)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', '', one)).toBe('127.0.0.1');
  });

  it('ignores the header from anyone but our proxy: a client reaching the port directly writes its own', () => {
    expect(clientAddress('192.168.1.50', '10.9.9.9', one)).toBe('192.168.1.50');
    expect(clientAddress('10.0.0.5', '198.51.100.7', { hops: 1, from: ['10.0.0.0/24'] })).toBe(
      '198.51.100.7',
    );
    expect(clientAddress('10.0.1.5', '198.51.100.7', { hops: 1, from: ['10.0.0.0/24'] })).toBe('10.0.1.5');
    expect(clientAddress(undefined, '198.51.100.7', one)).toBe('unknown');
  });

  it('reads TRUSTED_PROXY_ADDRESSES strictly', () => {
    expect(parseProxyAddresses('10.0.0.1, 10.1.0.0/16,::1')).toEqual(['10.0.0.1', '10.1.0.0/16', '::1']);
    expect(() => parseProxyAddresses('10.0.0.0/99')).toThrow(/not an address/);
  });
});

describe('limitGroup', () => {
  it('groups IPv6 by /64, expanding compressed forms first', () => {
    expect(limitGroup('2001:db8::a:b:c:d')).toBe('2001:db8:0:0::/64');
    expect(limitGroup('2001:db8:0:0:1::1')).toBe('2001:db8:0:0::/64');
    expect(limitGroup('2001:db8:0:1::1')).toBe('2001:db8:0:1::/64');
    expect(limitGroup('2001:0DB8:0000:0000:ffff::')).toBe(limitGroup('2001:db8::ffff:0:0:0'));
  });

  it('treats IPv4 and IPv4-mapped IPv6 as the same address', () => {
    expect(limitGroup('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(limitGroup('192.0.2.1')).toBe('192.0.2.1');
  });

  it('never lets a malformed value become its own key', () => {
    expect(limitGroup('x'.repeat(40))).toBe('invalid');
    expect(limitGroup('unknown')).toBe('unknown');
  });
});
