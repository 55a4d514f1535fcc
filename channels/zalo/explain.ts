import { formatLocal } from '../../src/domain/time';
import { ChannelError, type PlatformTrace } from '../types';
import { nextBroadcastMorning } from './night';
import { type ZaloApiError, type ZaloTransportError } from './zalo-errors';

/** Without Zalo's own reset time, a per-minute limit is waited out for a minute. */
const RATE_LIMIT_WAIT_MS = 60_000;

export function zaloTrace(error: ZaloApiError): PlatformTrace {
  return { code: error.code };
}

/** A sentence for a person: Loa's explanation, then Zalo's code and own message (kept for looking it up). */
export function describeZaloError(error: ZaloApiError): string {
  const why: Record<ZaloApiError['kind'], string> = {
    token: 'mã truy cập Zalo không còn hợp lệ',
    'rate-limit': `Zalo báo gửi quá nhiều yêu cầu trong một phút${error.rateLimit?.limit ? ` (giới hạn ${error.rateLimit.limit})` : ''}`,
    processing: 'Zalo vẫn đang xử lý bài viết',
    night: 'Zalo không cho gửi tin đến người quan tâm từ 22:00 đến 06:00',
    quota:
      'Zalo OA đã dùng hết lượt gửi tin đến người quan tâm của kỳ gói dịch vụ (kỳ tính từ ngày gia hạn gói, không phải đầu tháng)',
    refused: 'Zalo không cho OA này làm việc đó (quyền, xác thực OA hoặc gói dịch vụ)',
    'bad-request': 'Zalo không nhận nội dung gửi lên (tham số sai hoặc vượt giới hạn)',
    unknown: 'Zalo trả một mã lỗi Loa chưa biết',
  };
  return `${why[error.kind]} (mã lỗi Zalo ${error.code}: ${error.zaloMessage})`;
}

/**
 * Zalo said no to a call that had not created anything: the kind of "not sent" it is.
 * Token errors reach here only after the refresh-and-retry-once already failed.
 */
export function channelErrorFor(error: ZaloApiError, now: Date): ChannelError {
  const message = describeZaloError(error);
  const trace = zaloTrace(error);
  switch (error.kind) {
    case 'rate-limit':
    case 'processing':
      return new ChannelError(
        'retry-later',
        message,
        error.kind === 'rate-limit' ? RATE_LIMIT_WAIT_MS : undefined,
        trace,
      );
    case 'night': {
      const morning = nextBroadcastMorning(now);
      return new ChannelError(
        'retry-later',
        `${message}; sẽ gửi lúc ${formatLocal(morning)}`,
        morning.getTime() - now.getTime(),
        trace,
      );
    }
    case 'token':
      return new ChannelError('reconnect', `${message}, kể cả sau khi đã làm mới`, undefined, trace);
    case 'bad-request':
      return new ChannelError('bad-content', message, undefined, trace);
    case 'quota':
    case 'refused':
    case 'unknown':
      return new ChannelError('refused', message, undefined, trace);
  }
}

/** A call that creates nothing (verify, listing, OA info) failed without an answer: try again later. */
export function transportRetry(error: ZaloTransportError): ChannelError {
  return new ChannelError('retry-later', error.message);
}
