import dns from 'node:dns';
import net from 'node:net';

import ipaddr from 'ipaddr.js';

import { FeedProblem } from './feed-problem';

/**
 * A feed URL comes from a person; without this check it could make Loa read the office network or services on its
 * own machine (Redis, PostgreSQL, a cloud metadata address). Only public unicast addresses are allowed, unless
 * LOA_SOURCES_ALLOW_PRIVATE=1 says otherwise.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // ::ffff:127.0.0.1 is loopback in disguise: judge the IPv4 address it carries.
  return ipaddr.process(address).range() === 'unicast';
}

function refused(host: string, address: string): FeedProblem {
  return new FeedProblem(
    'private-address',
    `Địa chỉ "${host}" trỏ vào mạng nội bộ (${address}); Loa không đọc tin từ địa chỉ nội bộ, loopback hay link-local`,
  );
}

/** Checks a host written as an IP address; names are checked when they resolve (see guardedLookup). */
export function checkLiteralHost(hostname: string, allowPrivate: boolean): void {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && net.isIP(bare) && !isPublicAddress(bare)) throw refused(hostname, bare);
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for net/tls.connect: resolves the name, then refuses it if any of its addresses is not public. Because it
 * runs when the socket connects, it checks the address actually used, on every redirect hop, and a name that
 * resolves differently the second time (DNS rebinding) cannot slip past a check done earlier.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const blocked = allowPrivate ? undefined : addresses.find((a) => !isPublicAddress(a.address));
      if (blocked) return callback(refused(hostname, blocked.address) as unknown as NodeJS.ErrnoException, []);
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}
