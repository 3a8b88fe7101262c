// What kind of address an outbound call would reach. Node's net.BlockList matches IPv4-mapped
// IPv6 addresses (::ffff:169.254.169.254, ::ffff:a9fe:a9fe) against the IPv4 ranges too.
import { BlockList, isIP } from 'node:net';

export type AddressClass = 'loopback' | 'private' | 'link-local' | 'metadata' | 'unspecified' | 'reserved' | 'public';

type Range = [address: string, prefix: number, family: 'ipv4' | 'ipv6'];

// the first class that matches wins: metadata before link-local and private (they lie inside them)
const ranges: [AddressClass, Range[]][] = [
  [
    'metadata',
    [
      ['169.254.169.254', 32, 'ipv4'], // AWS, GCP, Azure, Oracle, OpenStack
      ['169.254.170.2', 32, 'ipv4'], // AWS ECS task credentials
      ['100.100.100.200', 32, 'ipv4'], // Alibaba Cloud
      ['fd00:ec2::254', 128, 'ipv6'], // AWS over IPv6
    ],
  ],
  ['loopback', [['127.0.0.0', 8, 'ipv4'], ['::1', 128, 'ipv6']]],
  ['unspecified', [['0.0.0.0', 8, 'ipv4'], ['::', 128, 'ipv6']]],
  ['link-local', [['169.254.0.0', 16, 'ipv4'], ['fe80::', 10, 'ipv6']]],
  [
    'private',
    [
      ['10.0.0.0', 8, 'ipv4'],
      ['172.16.0.0', 12, 'ipv4'],
      ['192.168.0.0', 16, 'ipv4'],
      ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT, shared address space
      ['198.18.0.0', 15, 'ipv4'], // benchmarking networks
      ['fc00::', 7, 'ipv6'], // unique local addresses
    ],
  ],
  [
    'reserved',
    [
      ['192.0.0.0', 24, 'ipv4'],
      ['192.0.2.0', 24, 'ipv4'],
      ['198.51.100.0', 24, 'ipv4'],
      ['203.0.113.0', 24, 'ipv4'],
      ['224.0.0.0', 4, 'ipv4'], // multicast
      ['240.0.0.0', 4, 'ipv4'], // reserved, and the broadcast address
      ['ff00::', 8, 'ipv6'], // multicast
      ['2001:db8::', 32, 'ipv6'], // documentation
      ['fec0::', 10, 'ipv6'], // deprecated site-local
    ],
  ],
];

const lists: [AddressClass, BlockList][] = ranges.map(([cls, rs]) => {
  const list = new BlockList();
  for (const [address, prefix, family] of rs) list.addSubnet(address, prefix, family);
  return [cls, list];
});

/** the class of an IP address literal (brackets allowed around IPv6) */
export function classifyAddress(address: string): AddressClass {
  const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''); // a zone id (fe80::1%eth0) names no other address
  const family = isIP(ip);
  if (!family) throw new Error(`not an IP address: ${address}`);
  for (const [cls, list] of lists) if (list.check(ip, family === 4 ? 'ipv4' : 'ipv6')) return cls;
  return 'public';
}
