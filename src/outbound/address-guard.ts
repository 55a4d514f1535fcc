import dns from 'node:dns';
import net from 'node:net';

import ipaddr from 'ipaddr.js';

/**
 * Every address Loa asks on a person's or a feed's behalf (a feed source, an item's image, an image of a feed's
 * draft) comes from outside; without this check it could make Loa read the office network or services on its own
 * machine (Redis, PostgreSQL, a cloud metadata address) and tell the answer back. Only public unicast addresses are
 * allowed, unless LOA_OUTBOUND_ALLOW_PRIVATE=1 (or, for feeds, LOA_SOURCES_ALLOW_PRIVATE=1) says otherwise.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // ::ffff:127.0.0.1 is loopback in disguise: judge the IPv4 address it carries.
  const parsed = ipaddr.process(address);
  // ::127.0.0.1 (IPv4-compatible, ::/96) is deprecated and never a public host; ipaddr.js calls it unicast.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).parts.slice(0, 6).every((part) => part === 0)) return false;
  return parsed.range() === 'unicast';
}

/** A request Loa refused to send because the address is on the office network or this machine. */
export class PrivateAddressError extends Error {
  override name = 'PrivateAddressError';
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(
      `Địa chỉ "${host}" trỏ vào mạng nội bộ (${address}); Loa không gửi yêu cầu tới địa chỉ nội bộ, loopback hay link-local`,
    );
  }
}

/** Whether guarded requests may reach private addresses: only where an operator says so (tests, a closed network). */
export function privateAddressesAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.LOA_OUTBOUND_ALLOW_PRIVATE === '1';
}

/** Checks a host written as an IP address (or `localhost`); names are checked when they resolve (see guardedLookup). */
export function checkLiteralHost(hostname: string, allowPrivate: boolean): void {
  if (allowPrivate) return;
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(bare) && !isPublicAddress(bare)) throw new PrivateAddressError(hostname, bare);
  if (/^localhost\.?$|\.localhost\.?$/i.test(bare)) throw new PrivateAddressError(hostname, 'loopback');
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
      if (blocked)
        return callback(new PrivateAddressError(hostname, blocked.address) as unknown as NodeJS.ErrnoException, []);
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/** undici wraps connection errors in "fetch failed"; a refusal by the guard is further down the `cause` chain. */
export function privateAddressRefusal(error: unknown): PrivateAddressError | null {
  let current = error;
  for (let depth = 0; depth < 6 && current; depth++) {
    if (current instanceof PrivateAddressError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
