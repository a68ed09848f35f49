/** Address helpers of the network view: IPv4 literals, CIDR membership and a stable hash. */

/** A dotted-quad IPv4 literal. */
export const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Whether `ip` (an IPv4 literal) lies in `base/bits`; anything else is not in any range. */
export function inCidr(ip: string, base: string, bits: number): boolean {
  const toInt = (a: string) => a.split('.').reduce((n, o) => (n << 8) + Number(o), 0) >>> 0;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return IPV4.test(ip) && (toInt(ip) & mask) >>> 0 === (toInt(base) & mask) >>> 0;
}

/** Pod and service networks (kubeadm's), which are not routed outside the cluster. */
export const isClusterAddress = (ip: string) => inCidr(ip, '10.244.0.0', 16) || inCidr(ip, '10.96.0.0', 12);

/** FNV-1a (32 bits): picks an endpoint the same way for the same text. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
