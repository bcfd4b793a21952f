import { isIPv4, isIPv6 } from 'node:net';

/**
 * The unit one client is counted as (failed logins, hashes waiting, open connections): an IPv4
 * address, or the /64 of an IPv6 one, since an IPv6 client owns at least a /64 and can move inside
 * it at will. An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) counts as its IPv4 address.
 * @example clientKeyOf('2001:db8:0:1:a::1') // '2001:db8:0:1::/64'
 */
export function clientKeyOf(address: string): string {
  const bare = address.startsWith('[') ? address.slice(1, address.indexOf(']')) : address;
  const zoneless = bare.split('%')[0] ?? bare;
  if (!isIPv6(zoneless)) return address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(zoneless);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  // Expand `::` into the zero groups it stands for; an embedded IPv4 tail is past the /64 anyway.
  const [head = '', tail] = zoneless.toLowerCase().split('::');
  const groups = head === '' ? [] : head.split(':');
  if (tail !== undefined) {
    const after = tail === '' ? [] : tail.split(':');
    const missing = 8 - groups.length - after.length - (after.at(-1)?.includes('.') ? 1 : 0);
    groups.push(...Array<string>(Math.max(0, missing)).fill('0'), ...after);
  }
  const prefix = groups.slice(0, 4).map((g) => Number.parseInt(g, 16).toString(16));
  return `${prefix.join(':')}::/64`;
}
