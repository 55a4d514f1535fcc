/**
 * Zalo answers failures with HTTP 200 and a negative `error` code. Loa sorts the codes it knows into a few classes;
 * the adapter turns each class into the channel taxonomy (channels/types.ts). A code not listed here keeps its
 * number and Zalo's own message, so a person can look it up.
 *
 * Sources: [API] the error code list of the Official Account API (Zalo for Developers, "Phụ lục: Mã lỗi",
 * developers.zalo.me/docs/official-account/phu-luc/ma-loi); [TOKEN] our reading of it and of public OA clients:
 * many OAs answer an expired or revoked access token with -124, besides -216 and -220, and clients refresh on it;
 * [BC] Zalo's broadcast guide for OA owners (channels/zalo/broadcast-limits.ts).
 */
export type ZaloErrorClass =
  /** the access token is invalid or expired: refresh the pair, then try the call once more */
  | 'token'
  /** too many requests this minute: wait (X-RateLimit-* headers say how many are left) */
  | 'rate-limit'
  /** an article job is still being processed: ask again a little later */
  | 'processing'
  /** broadcasts are not allowed now (22:00–06:00 Vietnam time): wait for the morning */
  | 'night'
  /** the OA's allowance of broadcasts is used up: it comes back on the package's renewal day [BC] */
  | 'quota'
  /** the OA or app may not do this (permission, not verified, feature not registered): fix on Zalo's side */
  | 'refused'
  /** the request itself is wrong (a parameter invalid or over a limit): fix the content */
  | 'bad-request'
  /** a code Loa does not know */
  | 'unknown';

const CLASSES: Record<number, ZaloErrorClass> = {
  [-124]: 'token', // [TOKEN] access token expired or invalid: refresh once, then try again
  [-216]: 'token', // [API] access token is invalid
  [-220]: 'token', // [API] access token has expired or was invalidated
  [-32]: 'rate-limit', // requests per minute exceeded
  [-214]: 'processing', // article is being processed
  [-234]: 'night', // this message type may not be sent at this hour
  [-211]: 'quota', // [API][BC] out of quota: the OA's allowance of the package's month
  [-218]: 'quota', // [API] out of quota (receivers)
  [-201]: 'bad-request', // parameters are invalid
  [-210]: 'bad-request', // a parameter exceeds its limit
  [-204]: 'refused', // OA has been deleted
  [-205]: 'refused', // OA does not exist
  [-207]: 'refused', // OA is not registered as a third party
  [-208]: 'refused', // OA has no secret key
  [-209]: 'refused', // API not supported for this OA type
  [-212]: 'refused', // OA has not registered this API
  [-215]: 'refused', // app id is invalid
  [-219]: 'refused', // app has been removed
  [-221]: 'refused', // OA is not verified
  [-224]: 'refused', // OA's package does not allow this
};

export function classifyZaloCode(code: number): ZaloErrorClass {
  return CLASSES[code] ?? 'unknown';
}

/** Zalo's X-RateLimit-Limit / X-RateLimit-Remain headers, when it sent them. */
export interface RateLimitInfo {
  limit: number | null;
  remain: number | null;
}

/** Zalo answered and said no. `zaloMessage` is Zalo's own text (English); never holds a token. */
export class ZaloApiError extends Error {
  override name = 'ZaloApiError';
  readonly kind: ZaloErrorClass;
  constructor(
    readonly endpoint: string,
    readonly code: number,
    readonly zaloMessage: string,
    readonly rateLimit: RateLimitInfo | null = null,
  ) {
    super(`Zalo trả lỗi ${code} (${zaloMessage}) tại ${endpoint}`);
    this.kind = classifyZaloCode(code);
  }
}

/**
 * No readable answer: the connection failed, timed out, or the body was not Zalo's JSON. Whether the request
 * reached Zalo cannot be known, so a call that creates something must treat this as an unknown outcome.
 */
export class ZaloTransportError extends Error {
  override name = 'ZaloTransportError';
  constructor(
    readonly endpoint: string,
    detail: string,
    readonly status: number | null = null,
    readonly timedOut = false,
  ) {
    super(`không nhận được trả lời đọc được từ Zalo tại ${endpoint}: ${detail}`);
  }
}

/** The OAuth server refused a refresh (the refresh token was used, expired or revoked, or the app key is wrong). */
export class ZaloRefreshRefused extends Error {
  override name = 'ZaloRefreshRefused';
  constructor(
    readonly code: number,
    readonly zaloMessage: string,
  ) {
    super(`Zalo từ chối làm mới mã truy cập (${code}: ${zaloMessage})`);
  }
}
