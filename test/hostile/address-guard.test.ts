import type dns from 'node:dns';

import {
  checkLiteralHost,
  guardedLookup,
  isPublicAddress,
  PrivateAddressError,
  privateAddressesAllowed,
  privateAddressRefusal,
} from '../../src/outbound/address-guard';

/*
 * The address guard on its own, for what mutation testing (npm run mutate -- src/outbound/address-guard.ts) found no
 * test for: the connect-time lookup, the literal `localhost` forms, the switch, and how deep a refusal is looked for.
 */

type Answer = { error: NodeJS.ErrnoException | null; address: string | dns.LookupAddress[]; family?: number };

/** The guarded lookup's answer for a name, as net.connect would receive it. */
function lookup(allowPrivate: boolean, hostname: string, options: dns.LookupOptions): Promise<Answer> {
  return new Promise((resolve) =>
    guardedLookup(allowPrivate)(hostname, options, (error, address, family) => resolve({ error, address, family })),
  );
}

/** The refusal a literal host gets, or null when it may be asked. */
function literalRefusal(hostname: string): PrivateAddressError | null {
  try {
    checkLiteralHost(hostname, false);
    return null;
  } catch (error) {
    if (error instanceof PrivateAddressError) return error;
    throw error;
  }
}

describe('the outbound address guard', () => {
  test('a name that resolves to this machine is refused when the socket connects, naming the address', async () => {
    const refused = await lookup(false, 'localhost', {});
    expect(refused.error).toBeInstanceOf(PrivateAddressError);
    expect(refused.error!.name).toBe('PrivateAddressError');
    expect((refused.error as unknown as PrivateAddressError).address).toMatch(/^(127\.0\.0\.1|::1)$/);
    expect(refused.address).toEqual([]);
  });

  test('where private addresses are allowed, the lookup answers as dns.lookup does, one address or all', async () => {
    const one = await lookup(true, 'localhost', { family: 4 });
    expect(one).toEqual({ error: null, address: '127.0.0.1', family: 4 });
    const all = await lookup(true, 'localhost', { family: 4, all: true });
    expect(all.error).toBeNull();
    expect(all.address).toEqual([{ address: '127.0.0.1', family: 4 }]);
  });

  test('localhost written in any of its forms is refused as loopback; names that only contain it are not', () => {
    for (const host of ['localhost', 'LOCALHOST.', 'cong.localhost', 'cong.localhost.'])
      expect(literalRefusal(host)?.address).toBe('loopback');
    for (const host of ['mylocalhost', 'localhost.evil.vn', 'cong.localhost.vn', 'localhostx.vn', 'cong.example.vn'])
      expect(literalRefusal(host)).toBeNull();
    expect(literalRefusal('[::1]')?.address).toBe('::1');
  });

  test('what is not an IP address is not a public address', () => {
    expect(isPublicAddress('cong.example.vn')).toBe(false);
    expect(isPublicAddress('203.113.131.1')).toBe(true);
  });

  test('only LOA_OUTBOUND_ALLOW_PRIVATE=1 lifts the guard', () => {
    expect(privateAddressesAllowed({ LOA_OUTBOUND_ALLOW_PRIVATE: '1' })).toBe(true);
    expect(privateAddressesAllowed({ LOA_OUTBOUND_ALLOW_PRIVATE: '0' })).toBe(false);
    expect(privateAddressesAllowed({})).toBe(false);
  });

  test('a refusal is found down to six causes deep, and an error without one is not taken for it', () => {
    const refusal = new PrivateAddressError('x', '10.0.0.1');
    const wrapped = (depth: number): unknown =>
      depth === 0 ? refusal : new Error(`lớp ${depth}`, { cause: wrapped(depth - 1) });
    expect(privateAddressRefusal(wrapped(5))).toBe(refusal);
    expect(privateAddressRefusal(wrapped(6))).toBeNull();
    expect(privateAddressRefusal(new Error('fetch failed'))).toBeNull();
    expect(privateAddressRefusal(new Error('fetch failed', { cause: new Error('ECONNREFUSED') }))).toBeNull();
  });
});
