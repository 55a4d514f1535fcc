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
 * What Loa does about a Graph error, decided by `code` and `error_subcode` only (never the message text or
 * the HTTP status alone):
 * - `reconnect`: the Page's token no longer works (190 and its subcodes, 102); the channel is paused.
 * - `throttled`: a rate limit (4, 17, 32, 613, 341, 80000–80014); wait as the usage headers say.
 * - `transient`: Facebook's own passing trouble (1, 2, and 5xx without a known code); retry with backoff, after
 *   making sure the post did not go through anyway.
 * - `duplicate`: 506; look for the existing post and record it.
 * - `bad-content`: the item as it is cannot be posted (invalid parameter, image refused).
 * - `refused`: permission (10, 200–299), policy (368) and other permanent errors; no retry.
 */
export type GraphVerdict = 'reconnect' | 'throttled' | 'transient' | 'duplicate' | 'bad-content' | 'refused';

const THROTTLING = new Set([4, 17, 32, 613, 341]);

export function classify(error: GraphError | null, status: number): GraphVerdict {
  const code = error?.code ?? null;
  if (code === 190 || code === 102) return 'reconnect';
  if (code !== null && (THROTTLING.has(code) || (code >= 80000 && code <= 80014))) return 'throttled';
  if (code === 1 || code === 2) return 'transient';
  if (code === 506) return 'duplicate';
  if (code === 100 || code === 324 || code === 1500) return 'bad-content';
  if (code === 10 || code === 368 || (code !== null && code >= 200 && code <= 299)) return 'refused';
  if (code === null && status >= 500) return 'transient';
  if (code === null && status === 429) return 'throttled';
  return 'refused';
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
      return `Facebook từ chối: ${tokenProblem(error?.subcode ?? null)}${ref}. Quản trị viên cần kết nối lại Trang rồi nhập token mới: loa channels edit ${context.channelId} --secret-stdin; các bài khác của kênh đang chờ.`;
    case 'throttled':
      return `Facebook đang giới hạn số lần gọi của Trang${ref}; Loa chờ rồi đăng lại.`;
    case 'transient':
      return `Facebook đang gặp sự cố tạm thời${ref}; Loa đăng lại sau.`;
    case 'duplicate':
      return `Facebook từ chối vì bài trùng với một bài Trang vừa đăng${ref}.`;
    case 'bad-content':
      return `Facebook không nhận ${context.field}${ref}: ${error?.message || 'tham số không hợp lệ'}. Sửa nội dung rồi dùng loa retry.`;
    case 'refused':
      if (error?.code === 368)
        return `Facebook tạm chặn Trang đăng bài vì cho rằng vi phạm chính sách cộng đồng${ref}; xem thông báo trong Meta Business Suite, không thử lại tự động.`;
      if (error?.code === 10 || (error?.code != null && error.code >= 200 && error.code <= 299))
        return `Token của Trang thiếu quyền đăng bài (cần pages_manage_posts và pages_read_engagement, người cấp phải có quyền quản lý Trang)${ref}. Cấp lại quyền rồi nhập token mới: loa channels edit ${context.channelId} --secret-stdin.`;
      return `Facebook từ chối bài${ref}: ${error?.message || 'không rõ lý do'}.`;
  }
}
