import { describe, expect, it } from 'vitest';
import { hash, IPV4, inCidr, isClusterAddress } from '../../../src/cluster/network/view-address.js';

describe('network view addresses', () => {
  it('tests CIDR membership on IPv4 literals only', () => {
    expect(inCidr('10.244.3.7', '10.244.0.0', 16)).toBe(true);
    expect(inCidr('10.245.0.1', '10.244.0.0', 16)).toBe(false);
    expect(inCidr('10.111.255.255', '10.96.0.0', 12)).toBe(true);
    expect(inCidr('10.112.0.0', '10.96.0.0', 12)).toBe(false);
    expect(inCidr('192.168.1.1', '0.0.0.0', 0)).toBe(true);
    expect(inCidr('8.8.8.8', '8.8.8.8', 32)).toBe(true);
    expect(inCidr('8.8.8.9', '8.8.8.8', 32)).toBe(false);
    expect(inCidr('example.com', '0.0.0.0', 0)).toBe(false);
    expect(IPV4.test('1.2.3')).toBe(false);
  });

  it('knows the pod and service networks, and nothing else', () => {
    expect(isClusterAddress('10.244.1.5')).toBe(true);
    expect(isClusterAddress('10.96.0.10')).toBe(true);
    expect(isClusterAddress('10.0.0.1')).toBe(false);
    expect(isClusterAddress('172.18.0.2')).toBe(false);
  });

  it('hashes with 32-bit FNV-1a', () => {
    expect(hash('')).toBe(0x811c9dc5);
    expect(hash('a')).toBe(0xe40c292c);
    expect(hash('foobar')).toBe(0xbf9cf968);
  });
});
