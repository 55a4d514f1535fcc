import type {
  ApiEnvelope,
  ArticleCreateData,
  ArticleCreateRequest,
  ArticleSliceData,
  ArticleSliceQuery,
  ArticleVerifyData,
  BroadcastData,
  BroadcastRequest,
  OaInfo,
  OAuthErrorAnswer,
  RefreshAnswer,
  RefreshRequest,
} from './api-types';

/** The authorization-code grant of OAuth v4 with PKCE. */
export interface AuthorizeRequest {
  appId: string;
  secretKey: string;
  code: string;
  codeVerifier: string;
}
import { type RateLimitInfo, ZaloApiError, ZaloRefreshRefused, ZaloTransportError } from './zalo-errors';

export const DEFAULT_ZALO_API_URL = 'https://openapi.zalo.me';
export const DEFAULT_ZALO_OAUTH_URL = 'https://oauth.zaloapp.com';

export interface ZaloClientOptions {
  /** LOA_ZALO_API_URL: the OpenAPI host. Default https://openapi.zalo.me. */
  apiUrl?: string;
  /** LOA_ZALO_OAUTH_URL: the OAuth host. Default https://oauth.zaloapp.com. */
  oauthUrl?: string;
  /** Each call is abandoned after this long. Default 15 s. */
  timeoutMs?: number;
}

/** A new token pair, with when the access token stops working (Zalo: 25 hours). */
export interface FreshTokens {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: Date;
}

/**
 * A small typed client of the Zalo OA OpenAPI on the built-in fetch. The access token travels in the
 * `access_token` header (as Zalo's own SDKs send it), never in a URL, so no log of a URL can leak it.
 * Every call has a timeout, combined with the caller's abort signal.
 */
export class ZaloClient {
  readonly apiUrl: string;
  readonly oauthUrl: string;
  private readonly timeoutMs: number;

  constructor(options: ZaloClientOptions = {}) {
    this.apiUrl = (options.apiUrl || DEFAULT_ZALO_API_URL).replace(/\/+$/, '');
    this.oauthUrl = (options.oauthUrl || DEFAULT_ZALO_OAUTH_URL).replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  createArticle(accessToken: string, article: ArticleCreateRequest, signal?: AbortSignal): Promise<ArticleCreateData> {
    return this.api<ArticleCreateData>('POST', '/v2.0/article/create', accessToken, article, signal);
  }

  verifyArticle(accessToken: string, jobToken: string, signal?: AbortSignal): Promise<ArticleVerifyData> {
    return this.api<ArticleVerifyData>('POST', '/v2.0/article/verify', accessToken, { token: jobToken }, signal);
  }

  listArticles(accessToken: string, query: ArticleSliceQuery, signal?: AbortSignal): Promise<ArticleSliceData> {
    const search = new URLSearchParams({ offset: String(query.offset), limit: String(query.limit), type: query.type });
    return this.api<ArticleSliceData>('GET', `/v2.0/article/getslice?${search}`, accessToken, undefined, signal);
  }

  broadcastArticle(accessToken: string, articleId: string, signal?: AbortSignal): Promise<BroadcastData> {
    const request: BroadcastRequest = {
      recipient: { target: {} },
      message: {
        attachment: {
          type: 'template',
          payload: { template_type: 'media', elements: [{ media_type: 'article', attachment_id: articleId }] },
        },
      },
    };
    return this.api<BroadcastData>('POST', '/v2.0/oa/message', accessToken, request, signal);
  }

  getOa(accessToken: string, signal?: AbortSignal): Promise<OaInfo> {
    return this.api<OaInfo>('GET', '/v2.0/oa/getoa', accessToken, undefined, signal);
  }

  /** Trades the (one-time) refresh token for a new pair. The old refresh token no longer works afterwards. */
  refresh(request: RefreshRequest, signal?: AbortSignal, now = new Date()): Promise<FreshTokens> {
    const form = { refresh_token: request.refreshToken, app_id: request.appId, grant_type: 'refresh_token' };
    return this.grant(form, request.secretKey, signal, now);
  }

  /**
   * OAuth v4 for Official Accounts, authorization-code grant with PKCE: the `code` the OA admin's consent sent back,
   * with the `code_verifier` whose base64url SHA-256 was the `code_challenge` (src/demo/fake-zalo-oa.ts, [OAUTH]).
   */
  authorize(request: AuthorizeRequest, signal?: AbortSignal, now = new Date()): Promise<FreshTokens> {
    const form = {
      code: request.code,
      app_id: request.appId,
      grant_type: 'authorization_code',
      code_verifier: request.codeVerifier,
    };
    return this.grant(form, request.secretKey, signal, now);
  }

  /** POST /v4/oa/access_token, form-encoded, the app's key in the `secret_key` header. */
  private async grant(
    form: Record<string, string>,
    secretKey: string,
    signal: AbortSignal | undefined,
    now: Date,
  ): Promise<FreshTokens> {
    const endpoint = '/v4/oa/access_token';
    const { json } = await this.call(
      this.oauthUrl,
      endpoint,
      {
        method: 'POST',
        headers: { secret_key: secretKey, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form),
      },
      signal,
    );
    const answer = json as Partial<RefreshAnswer> & Partial<OAuthErrorAnswer>;
    if (typeof answer.access_token === 'string' && typeof answer.refresh_token === 'string') {
      const seconds = Number(answer.expires_in);
      const lifetimeMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 25 * 3600_000;
      return {
        accessToken: answer.access_token,
        refreshToken: answer.refresh_token,
        accessExpiresAt: new Date(now.getTime() + lifetimeMs),
      };
    }
    if (typeof answer.error === 'number' && answer.error !== 0) {
      throw new ZaloRefreshRefused(
        answer.error,
        answer.error_description ?? answer.error_reason ?? answer.error_name ?? '',
      );
    }
    throw new ZaloTransportError(endpoint, 'câu trả lời không có mã truy cập mới');
  }

  private async api<T>(
    method: 'GET' | 'POST',
    path: string,
    accessToken: string,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    const endpoint = path.split('?')[0]!;
    const headers: Record<string, string> = { access_token: accessToken };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const { json, rateLimit } = await this.call(
      this.apiUrl,
      path,
      { method, headers, body: body === undefined ? undefined : JSON.stringify(body) },
      signal,
    );
    const envelope = json as Partial<ApiEnvelope<T>>;
    if (typeof envelope.error !== 'number')
      throw new ZaloTransportError(endpoint, 'câu trả lời không có trường "error"');
    if (envelope.error !== 0)
      throw new ZaloApiError(endpoint, envelope.error, String(envelope.message ?? ''), rateLimit);
    if (envelope.data === undefined || envelope.data === null)
      throw new ZaloTransportError(endpoint, 'câu trả lời thành công nhưng không có dữ liệu');
    return envelope.data;
  }

  private async call(
    base: string,
    path: string,
    init: RequestInit,
    signal?: AbortSignal,
  ): Promise<{ json: unknown; rateLimit: RateLimitInfo }> {
    const endpoint = path.split('?')[0]!;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${base}${path}`, { ...init, signal: combined });
      text = await response.text();
    } catch (error) {
      const timedOut = timeout.aborted;
      const detail = timedOut
        ? `quá ${Math.round(this.timeoutMs / 1000)} giây không trả lời`
        : signal?.aborted
          ? 'cuộc gọi bị hủy'
          : describeNetworkError(error);
      throw new ZaloTransportError(endpoint, detail, null, timedOut);
    }
    const rateLimit = {
      limit: headerNumber(response, 'x-ratelimit-limit'),
      remain: headerNumber(response, 'x-ratelimit-remain'),
    };
    if (!response.ok) throw new ZaloTransportError(endpoint, `HTTP ${response.status}`, response.status);
    try {
      return { json: JSON.parse(text) as unknown, rateLimit };
    } catch {
      throw new ZaloTransportError(endpoint, 'câu trả lời không phải JSON', response.status);
    }
  }
}

function headerNumber(response: Response, name: string): number | null {
  const value = response.headers.get(name);
  const parsed = value === null ? NaN : Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

/** fetch's own errors say "fetch failed" and hide the reason in `cause`; keep the code (ECONNREFUSED…), never a URL. */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? `lỗi mạng ${cause.code}` : 'lỗi mạng';
}
