import type { PlatformTrace } from '../types';

/** A Graph error object: {error:{message,type,code,error_subcode,fbtrace_id}}. */
export interface GraphError {
  message: string;
  type: string | null;
  code: number | null;
  subcode: number | null;
  traceId: string | null;
}

/** The error object of a Graph answer, whatever its HTTP status (the SDK even resolves a 200 that holds one). */
export function graphErrorOf(body: unknown): GraphError | null {
  if (typeof body !== 'object' || body === null || !('error' in body)) return null;
  const e = (body as { error: unknown }).error;
  if (typeof e !== 'object' || e === null)
    return { message: String(e), type: null, code: null, subcode: null, traceId: null };
  const r = e as Record<string, unknown>;
  const num = (v: unknown) =>
    v === undefined || v === null || v === '' || !Number.isFinite(Number(v)) ? null : Number(v);
  return {
    message: String(r.message ?? ''),
    type: r.type ? String(r.type) : null,
    code: num(r.code),
    subcode: num(r.error_subcode),
    traceId: r.fbtrace_id ? String(r.fbtrace_id) : null,
  };
}

export function traceOf(error: GraphError | null, status?: number): PlatformTrace {
  return {
    code: error?.code ?? (status ? `http ${status}` : undefined),
    subcode: error?.subcode ?? undefined,
    traceId: error?.traceId ?? undefined,
  };
}

/**
 * What Loa does about a Graph error, decided by `code` and `error_subcode` only (never the message text or the HTTP
 * status alone). Sources: [ERR] Graph API "Handling Errors" (developers.facebook.com/docs/graph-api/guides/
 * error-handling), [RATE] "Rate Limits" (/docs/graph-api/overview/rate-limiting), [POST] the Post reference
 * (/docs/graph-api/reference/post), [PAGES] the 2016 Page-level rate limits note (developers.facebook.com/blog/post/
 * 2016/06/16/page-level-rate-limits).
 *
 * | code            | verdict       | why                                                                              |
 * |-----------------|---------------|----------------------------------------------------------------------------------|
 * | 190, 102        | `reconnect`   | [ERR] the token expired or was invalidated; subcodes say why (458–467, 492)      |
 * | 100 / sub 33, 33| `not-found`   | [ERR] "object does not exist, cannot be loaded due to missing permissions": the  |
 * |                 |               | Page id or the token's Page is wrong; nothing was posted                          |
 * | 4, 17, 341, 613 | `throttled`   | [ERR][RATE] app or user call limits, counted over a rolling hour                  |
 * | 32, 80001       | `throttled`   | [RATE][PAGES] the Page's Business Use Case limit, over a rolling 24 hours         |
 * | 80000–80014     | `throttled`   | [RATE] other BUC limits                                                           |
 * | 1, 2            | `transient`   | [ERR] "temporary issue due to downtime, wait and retry"                          |
 * | 368             | `blocked`     | [ERR] "temporarily blocked for policies violations: wait and retry"; also sent    |
 * |                 |               | for "you've already posted this": look for the post first, then wait              |
 * | 506             | `duplicate`   | [ERR] duplicate post: look for the existing post and record it                    |
 * | 1609005         | `bad-link`    | [ERR] "error posting link": the link could not be scraped; the officer fixes it   |
 * | 100, 324, 1500  | `bad-content` | [ERR] invalid parameter, missing or bad upload, invalid URL                       |
 * | 12              | `outdated`    | [POST] Loa asked for something removed in this Graph version: Loa must be fixed   |
 * | 10, 200–299     | `refused`     | [ERR] permission missing                                                          |
 * | none, HTTP 5xx  | `transient`   | a proxy or Facebook itself failed before answering in Graph's form                |
 * | none, HTTP 429  | `throttled`   |                                                                                   |
 * | anything else   | `refused`     | kept with its code and Facebook's message so a person can look it up              |
 */
export type GraphVerdict =
  | 'reconnect'
  | 'not-found'
  | 'throttled'
  | 'transient'
  | 'blocked'
  | 'duplicate'
  | 'bad-link'
  | 'bad-content'
  | 'outdated'
  | 'refused';

/** App- and user-level limits, counted over a rolling hour [ERR][RATE]. */
const HOURLY_THROTTLING = new Set([4, 17, 341, 613]);
/** The Page's own limits, over a rolling 24 hours [RATE][PAGES]. */
const PAGE_THROTTLING = new Set([32, 80001]);

export function classify(error: GraphError | null, status: number): GraphVerdict {
  const code = error?.code ?? null;
  if (code === 190 || code === 102) return 'reconnect';
  if (code === 33 || (code === 100 && error?.subcode === 33)) return 'not-found';
  if (code !== null && (HOURLY_THROTTLING.has(code) || PAGE_THROTTLING.has(code) || (code >= 80000 && code <= 80014)))
    return 'throttled';
  if (code === 1 || code === 2) return 'transient';
  if (code === 368) return 'blocked';
  if (code === 506) return 'duplicate';
  if (code === 1609005) return 'bad-link';
  if (code === 100 || code === 324 || code === 1500) return 'bad-content';
  if (code === 12) return 'outdated';
  if (code === 10 || (code !== null && code >= 200 && code <= 299)) return 'refused';
  if (code === null && status >= 500) return 'transient';
  if (code === null && status === 429) return 'throttled';
  return 'refused';
}

/** Whether a throttling error is the Page's 24-hour limit (a longer wait) rather than an hourly one. */
export function isPageLimit(error: GraphError | null): boolean {
  const code = error?.code ?? null;
  return code !== null && (PAGE_THROTTLING.has(code) || (code >= 80000 && code <= 80014));
}

/** Why a token stopped working, by 190's subcode, for the admin who must reconnect the Page. */
function tokenProblem(subcode: number | null): string {
  switch (subcode) {
    case 463:
      return 'token của Trang đã hết hạn';
    case 460:
      return 'người cấp token đã đổi mật khẩu Facebook';
    case 458:
      return 'người cấp token đã gỡ ứng dụng Loa khỏi tài khoản';
    case 459:
    case 464:
      return 'tài khoản người cấp token cần đăng nhập Facebook để xác minh';
    case 467:
    case 492:
      return 'token không còn hiệu lực (phiên đăng nhập đã kết thúc hoặc bị thu hồi)';
    default:
      return 'token của Trang không còn hiệu lực (hết hạn hoặc bị thu hồi)';
  }
}

/** The one action that gives a channel a working Page token again. */
export function reconnectHint(channelId: string): string {
  return `Quản trị viên cần kết nối lại Trang: bấm "Kết nối" ở kênh ${channelId} trong /desk/quan-tri/kenh hoặc chạy loa channels connect ${channelId} (đăng nhập Facebook bằng tài khoản quản lý Trang); không có trình duyệt thì lấy token mới của Trang (README, mục "Facebook: Page and app") và nhập bằng loa channels edit ${channelId} --secret-stdin`;
}

/**
 * The sentence a person reads, in Vietnamese, with Facebook's own code (and message, for the ones Loa does not
 * know by heart) so an admin can look it up. `field` names what to fix in the item for content errors.
 */
export function explain(
  verdict: GraphVerdict,
  error: GraphError | null,
  status: number,
  context: { channelId: string; field: string },
): string {
  const ref =
    error?.code !== null && error?.code !== undefined
      ? ` (mã Facebook ${error.code}${error.subcode ? `/${error.subcode}` : ''})`
      : ` (HTTP ${status})`;
  switch (verdict) {
    case 'reconnect':
      return `Facebook từ chối: ${tokenProblem(error?.subcode ?? null)}${ref}. ${reconnectHint(context.channelId)}; các bài khác của kênh đang chờ.`;
    case 'not-found':
      return `Facebook không thấy Trang của kênh hoặc token không có quyền trên Trang đó${ref}: kiểm tra cài đặt pageId của kênh ${context.channelId}, hoặc ${reconnectHint(context.channelId).toLowerCase()}; bài chưa được đăng.`;
    case 'throttled':
      return `Facebook đang giới hạn số lần gọi của Trang${ref}; Loa chờ rồi đăng lại.`;
    case 'transient':
      return `Facebook đang gặp sự cố tạm thời${ref}; Loa đăng lại sau.`;
    case 'blocked':
      return `Facebook tạm chặn Trang đăng bài${ref}: ${error?.message || 'tạm thời bị chặn'}. Loa đã xem trên Trang và không thấy bài này; Loa chờ rồi thử lại, xem thông báo trong Meta Business Suite nếu lỗi lặp lại.`;
    case 'duplicate':
      return `Facebook từ chối vì bài trùng với một bài Trang vừa đăng${ref}.`;
    case 'bad-link':
      return `Facebook không đọc được đường link (link) của bài${ref}: trang được dẫn tới phải mở được từ Internet và không chặn Facebook. Sửa đường link hoặc trang đích rồi dùng loa retry.`;
    case 'bad-content':
      return `Facebook không nhận ${context.field}${ref}: ${error?.message || 'tham số không hợp lệ'}. Sửa nội dung rồi dùng loa retry.`;
    case 'outdated':
      return `Facebook báo Loa hỏi một trường đã bị bỏ ở phiên bản Graph đang dùng${ref}: ${error?.message || ''}. Đây là lỗi của Loa, không phải của bài: cần cập nhật Loa (xem README, mục Facebook).`;
    case 'refused':
      if (error?.code === 10 || (error?.code != null && error.code >= 200 && error.code <= 299))
        return `Token của Trang thiếu quyền đăng bài (cần pages_manage_posts và pages_read_engagement, người cấp phải có quyền quản lý Trang)${ref}. ${reconnectHint(context.channelId)}.`;
      return `Facebook từ chối bài${ref}: ${error?.message || 'không rõ lý do'}.`;
  }
}
