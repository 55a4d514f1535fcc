import { Agent, fetch, type Response } from 'undici';

import { checkLiteralHost, guardedLookup, privateAddressRefusal } from '../outbound/address-guard';
import { FeedProblem } from './feed-problem';

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  allowPrivate: boolean;
  userAgent: string;
}

/** What the feed's server said last time; sent back so an unchanged feed costs one 304 and no body. */
export interface Validators {
  etag: string | null;
  lastModified: string | null;
}

export type FetchResult =
  | { kind: 'not-modified'; url: string }
  | { kind: 'fetched'; url: string; body: string; etag: string | null; lastModified: string | null };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function checkUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FeedProblem('bad-url', `"${text}" không phải địa chỉ web hợp lệ`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new FeedProblem('bad-url', `"${text}" phải bắt đầu bằng http:// hoặc https://`);
  if (url.username || url.password)
    throw new FeedProblem('bad-url', 'địa chỉ nguồn tin không được chứa tên đăng nhập hay mật khẩu');
  return url;
}

/** The feed's text: charset from the header, else from the XML declaration, else UTF-8. */
function decode(bytes: Uint8Array, contentType: string | null): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const label =
    /charset=["']?([\w-]+)/i.exec(contentType ?? '')?.[1] ??
    /<\?xml[^>]*encoding=["']([\w-]+)["']/i.exec(head)?.[1] ??
    'utf-8';
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** Reads the body as it streams in and stops as soon as it passes `maxBytes`, so a huge feed never fills memory. */
async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge(maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body) {
    for await (const chunk of response.body) {
      total += chunk.byteLength;
      if (total > maxBytes) throw tooLarge(maxBytes);
      chunks.push(chunk);
    }
  }
  return Buffer.concat(chunks);
}

function tooLarge(maxBytes: number): FeedProblem {
  return new FeedProblem(
    'too-large',
    `Nguồn tin lớn quá ${Math.round(maxBytes / 1024)} KB; Loa dừng tải để không quá tải (kiểm tra lại địa chỉ nguồn)`,
  );
}

/** undici wraps connection errors in "fetch failed"; the reason is further down the `cause` chain. */
function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5 && current instanceof Error && current.cause; depth++) {
    if (current instanceof FeedProblem) return current;
    current = current.cause;
  }
  return current;
}

function explainNetworkError(error: unknown, url: URL, timeoutMs: number): FeedProblem {
  const refused = privateAddressRefusal(error);
  if (refused) return new FeedProblem('private-address', refused.message);
  const cause = rootCause(error);
  if (cause instanceof FeedProblem) return cause;
  const name = (error as Error).name;
  const code = (cause as { code?: string }).code;
  if (
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT'
  ) {
    return new FeedProblem('timeout', `Máy chủ ${url.host} không trả lời trong ${Math.round(timeoutMs / 1000)} giây`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new FeedProblem('network', `Không tìm thấy máy chủ "${url.hostname}" (sai tên miền hoặc mất mạng)`);
  if (code === 'ECONNREFUSED') return new FeedProblem('network', `Máy chủ ${url.host} từ chối kết nối`);
  return new FeedProblem('network', `Không kết nối được ${url.host}: ${(cause as Error)?.message ?? String(cause)}`);
}

/**
 * GETs a feed the polite way: conditional (If-None-Match / If-Modified-Since), with a User-Agent, a time budget for the
 * whole exchange, a size cap, and redirects followed by hand so each hop is checked (scheme, loops, count, address).
 */
export async function fetchFeed(address: string, validators: Validators, limits: FetchLimits): Promise<FetchResult> {
  const agent = new Agent({
    connect: { lookup: guardedLookup(limits.allowPrivate) } as object,
    headersTimeout: limits.timeoutMs,
    bodyTimeout: limits.timeoutMs,
  });
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const headers: Record<string, string> = {
    'user-agent': limits.userAgent,
    accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
  };
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
  const visited = new Set<string>();
  let url = checkUrl(address);
  try {
    for (let hop = 0; ; hop++) {
      try {
        checkLiteralHost(url.hostname, limits.allowPrivate);
      } catch (error) {
        throw explainNetworkError(error, url, limits.timeoutMs);
      }
      visited.add(url.href);
      let response: Response;
      try {
        response = await fetch(url, { headers, redirect: 'manual', signal, dispatcher: agent });
      } catch (error) {
        throw explainNetworkError(error, url, limits.timeoutMs);
      }
      if (REDIRECTS.has(response.status)) {
        await response.body?.cancel();
        const location = response.headers.get('location');
        if (!location)
          throw new FeedProblem('http-status', `Máy chủ chuyển hướng (${response.status}) mà không nói chuyển đi đâu`);
        const next = checkUrl(new URL(location, url).href);
        if (visited.has(next.href))
          throw new FeedProblem(
            'redirect-loop',
            `Nguồn tin chuyển hướng vòng quanh (${url.href} → ${next.href}); báo cho nơi quản lý trang`,
          );
        if (hop + 1 > limits.maxRedirects)
          throw new FeedProblem(
            'too-many-redirects',
            `Nguồn tin chuyển hướng quá ${limits.maxRedirects} lần; kiểm tra lại địa chỉ`,
          );
        url = next;
        continue;
      }
      if (response.status === 304) {
        await response.body?.cancel();
        return { kind: 'not-modified', url: url.href };
      }
      if (response.status < 200 || response.status > 299) {
        await response.body?.cancel();
        const why =
          response.status === 404 || response.status === 410
            ? 'không còn trang này (sai địa chỉ hoặc trang đã bị gỡ)'
            : response.status >= 500
              ? 'máy chủ của nguồn đang lỗi'
              : 'máy chủ từ chối yêu cầu';
        throw new FeedProblem('http-status', `Máy chủ trả lời ${response.status}: ${why}`);
      }
      let bytes: Uint8Array;
      try {
        bytes = await readCapped(response, limits.maxBytes);
      } catch (error) {
        if (error instanceof FeedProblem) throw error;
        throw explainNetworkError(error, url, limits.timeoutMs);
      }
      return {
        kind: 'fetched',
        url: url.href,
        body: decode(bytes, response.headers.get('content-type')),
        etag: response.headers.get('etag'),
        lastModified: response.headers.get('last-modified'),
      };
    }
  } finally {
    await agent.destroy().catch(() => undefined); // tidy-up only: the result (or the problem) is already decided
  }
}
