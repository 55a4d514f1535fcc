import { Agent, fetch } from 'undici';

import { checkLiteralHost, guardedLookup } from './address-guard';

/** A request Loa would not send as written: not http(s), credentials in it, too many or looping redirects. */
export class OutboundUrlError extends Error {
  override name = 'OutboundUrlError';
}

export interface HeadOptions {
  /** The whole exchange, redirects included. */
  timeoutMs: number;
  /** Private, loopback and link-local addresses allowed (tests, a closed network); off by default. */
  allowPrivate: boolean;
  signal?: AbortSignal;
  /** Default 5. */
  maxRedirects?: number;
}

/** What the server said: the status and its headers (no body: it was a HEAD). */
export interface HeadAnswer {
  status: number;
  headers: { get(name: string): string | null };
  /** The address that answered, after redirects. */
  url: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** An address someone gave, as Loa will ask it: http(s) only, never with a user name or password in it. */
export function outboundUrl(text: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw new OutboundUrlError(`"${text}" không phải địa chỉ web hợp lệ`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new OutboundUrlError(`"${url.href}" phải bắt đầu bằng http:// hoặc https://`);
  if (url.username || url.password) throw new OutboundUrlError('địa chỉ không được chứa tên đăng nhập hay mật khẩu');
  return url;
}

/**
 * A HEAD request to an address that came from a person or a feed (an item's image): the host is checked before
 * connecting (an IP written in the URL) and when it resolves (guardedLookup: the address actually used), and each
 * redirect is followed by hand and checked the same way. Errors: PrivateAddressError, OutboundUrlError, or the
 * network's own (undici), for the caller to say in its words.
 */
export async function guardedHead(address: string, options: HeadOptions): Promise<HeadAnswer> {
  const agent = new Agent({ connect: { lookup: guardedLookup(options.allowPrivate) } as object });
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const maxRedirects = options.maxRedirects ?? 5;
  let url = outboundUrl(address);
  try {
    for (let hop = 0; ; hop++) {
      checkLiteralHost(url.hostname, options.allowPrivate);
      const response = await fetch(url, { method: 'HEAD', redirect: 'manual', signal, dispatcher: agent });
      await response.body?.cancel();
      if (!REDIRECTS.has(response.status)) return { status: response.status, headers: response.headers, url: url.href };
      const location = response.headers.get('location');
      if (!location) return { status: response.status, headers: response.headers, url: url.href };
      if (hop + 1 > maxRedirects) throw new OutboundUrlError(`chuyển hướng quá ${maxRedirects} lần`);
      url = outboundUrl(location, url);
    }
  } finally {
    await agent.destroy().catch(() => undefined); // tidy-up only: the answer (or the error) is already decided
  }
}
