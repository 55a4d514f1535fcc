import { formatLocal } from './time';

/** How many days before a connection expires admins are told (desk banner, `loa doctor`, the worker's log). */
export const TOKEN_WARNING_DAYS = 14;
const DAY_MS = 86_400_000;

/** A channel's credentials state as stored (src/store/token-state.ts), as far as alerts need it. */
export interface TokenStateView {
  channelId: string;
  hasSecret: boolean;
  expiresAt: Date | null;
  refreshExpiresAt: Date | null;
  lastSuccessAt: Date | null;
  problem: string | null;
}

export interface TokenAlert {
  channelId: string;
  level: 'warn' | 'error';
  /** What is wrong, in Vietnamese. */
  what: string;
  /** The one action that fixes it. */
  fix: string;
}

/** The one action that gives a channel working credentials again: the consent screen where the platform has one. */
export function reconnectAction(channelId: string, connectable: boolean): string {
  return connectable
    ? `Quản trị viên bấm "Kết nối" ở kênh ${channelId} trong /desk/quan-tri/kenh, hoặc chạy loa channels connect ${channelId}`
    : `Quản trị viên nhập bí mật mới của kênh ở /desk/quan-tri/kenh hoặc bằng loa channels edit ${channelId} --secret-stdin`;
}

/**
 * When the connection itself ends: the renewing token's expiry where there is one (an access token that expires
 * sooner is renewed with it), else the token's own. Null when it does not expire or is not known.
 */
export function connectionExpiry(state: Pick<TokenStateView, 'expiresAt' | 'refreshExpiresAt'>): Date | null {
  return state.refreshExpiresAt ?? state.expiresAt;
}

/** Whole days left before `at`, rounded down (negative once past). */
export function daysLeft(at: Date, now: Date): number {
  return Math.floor((at.getTime() - now.getTime()) / DAY_MS);
}

/** What admins must be told about one channel now, or null when nothing. */
export function tokenAlert(state: TokenStateView, now: Date, connectable: boolean): TokenAlert | null {
  const fix = reconnectAction(state.channelId, connectable);
  if (state.problem)
    return {
      channelId: state.channelId,
      level: 'error',
      what: `Kênh ${state.channelId} mất kết nối: ${state.problem}`,
      fix,
    };
  const ends = connectionExpiry(state);
  if (!state.hasSecret || !ends) return null;
  const days = daysLeft(ends, now);
  if (days < 0)
    return {
      channelId: state.channelId,
      level: 'error',
      what: `Kết nối của kênh ${state.channelId} đã hết hạn từ ${formatLocal(ends)}`,
      fix,
    };
  if (days < TOKEN_WARNING_DAYS)
    return {
      channelId: state.channelId,
      level: 'warn',
      what: `Kết nối của kênh ${state.channelId} hết hạn ${formatLocal(ends)} (còn ${days} ngày)`,
      fix: `${fix} trước ngày đó`,
    };
  return null;
}

/** One line for people: state, expiry and last success. */
export function describeTokenState(
  state: TokenStateView,
  now: Date,
): { state: string; expiry: string; lastSuccess: string } {
  const ends = connectionExpiry(state);
  return {
    state: state.problem
      ? 'mất kết nối'
      : !state.hasSecret
        ? 'chưa kết nối'
        : ends && ends.getTime() < now.getTime()
          ? 'hết hạn'
          : 'đang kết nối',
    expiry: ends
      ? `${formatLocal(ends)} (còn ${Math.max(0, daysLeft(ends, now))} ngày)`
      : state.hasSecret
        ? 'không hết hạn hoặc chưa biết'
        : '',
    lastSuccess: state.lastSuccessAt ? formatLocal(state.lastSuccessAt) : 'chưa có',
  };
}
