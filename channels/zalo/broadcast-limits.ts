import { DateTime } from 'luxon';

import { LOCAL_ZONE } from '../../src/domain/time';

/**
 * How Zalo limits broadcasts ("tin truyền thông", POST /v2.0/oa/message to the OA's followers), as Zalo's guide for
 * OA owners says ("Giải pháp sử dụng tính năng Broadcast", oa.zalo.me/home/resources/guides/
 * giai-phap-su-dung-tinh-nang-broadcast_4627642471091358425, and the OA help centre's broadcast FAQ,
 * zalooa.freshdesk.com article 64000264665):
 * - only a verified OA may broadcast;
 * - the limit is per follower, not per OA: a follower receives at most one broadcast a day, and a number a month set
 *   by the OA's package (Cơ bản 1, Dùng thử and Nâng cao 4, Premium 6); a follower's monthly count restarts on the
 *   1st of each month. A second broadcast on the same day is accepted but reaches nobody who had the first; after the
 *   monthly number, only new followers get one;
 * - the OA's own allowance (broadcasts it may send, articles, proactive messages) restarts on the day of the month
 *   its package was registered (registered 22/06 → renewed 22/07; registered 31/01 → 28 or 29/02), not on the 1st;
 *   Zalo answers -211/-218 when it is used up;
 * - every broadcast is reviewed by Zalo before it goes out.
 * Loa keeps a broadcast from being spent for nothing: at most one a day per OA, and none once this month's number
 * per follower is reached, saying so in the publish log.
 */

export const PACKAGES = {
  'co-ban': { label: 'Cơ bản', perFollowerMonthly: 1 },
  'dung-thu': { label: 'Dùng thử', perFollowerMonthly: 4 },
  'nang-cao': { label: 'Nâng cao', perFollowerMonthly: 4 },
  premium: { label: 'Premium', perFollowerMonthly: 6 },
} as const;
export type ZaloPackage = keyof typeof PACKAGES;

/** What getoa's `package_name` says, as one of Loa's package keys (null when it does not say). */
export function packageFromName(name: string | undefined): ZaloPackage | null {
  const text = (name ?? '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  if (/premium/.test(text)) return 'premium';
  if (/nang cao|advanced/.test(text)) return 'nang-cao';
  if (/dung thu|trial/.test(text)) return 'dung-thu';
  if (/co ban|basic/.test(text)) return 'co-ban';
  return null;
}

export type BroadcastDecision =
  | { send: true }
  /** Wait until `at` (the next morning): Zalo would accept but nobody who had today's broadcast would get it. */
  | { send: false; waitUntil: Date; reason: string }
  /** Do not send this month at all: it would reach new followers only. */
  | { send: false; skip: string };

/**
 * Whether to broadcast now, given when this OA's earlier broadcasts went out (from the publish log) and its package.
 * Pure: `now` and `sent` come from the caller.
 */
export function decideBroadcast(now: Date, sent: readonly Date[], pkg: ZaloPackage | null): BroadcastDecision {
  const local = DateTime.fromJSDate(now).setZone(LOCAL_ZONE);
  const today = local.toISODate();
  const month = local.toFormat('yyyy-LL');
  const days = sent.map((d) => DateTime.fromJSDate(d).setZone(LOCAL_ZONE));
  if (days.some((d) => d.toISODate() === today)) {
    const morning = local.plus({ days: 1 }).set({ hour: 6, minute: 0, second: 0, millisecond: 0 });
    return {
      send: false,
      waitUntil: morning.toJSDate(),
      reason: `OA đã gửi một tin đến người quan tâm hôm nay; Zalo chỉ cho mỗi người nhận 1 tin mỗi ngày (tin thứ hai không đến được ai), nên tin này chờ đến ${morning.toFormat('HH:mm dd/LL/yyyy')}`,
    };
  }
  const limit = PACKAGES[pkg ?? 'nang-cao'].perFollowerMonthly;
  const thisMonth = days.filter((d) => d.toFormat('yyyy-LL') === month).length;
  if (thisMonth >= limit) {
    const first = local.plus({ months: 1 }).startOf('month');
    return {
      send: false,
      skip: `tháng này OA đã gửi ${thisMonth} tin đến người quan tâm, bằng số tin mỗi người được nhận trong tháng (${limit}, gói ${pkg ? PACKAGES[pkg].label : 'chưa rõ, tính như gói Nâng cao'}); tin thêm chỉ đến được người mới quan tâm nên Loa không gửi. Bài viết vẫn đã đăng; hạn mức của người nhận bắt đầu lại ngày ${first.toFormat('dd/LL/yyyy')}`,
    };
  }
  return { send: true };
}

/**
 * When the OA's own allowance restarts: the next occurrence of the package's renewal day (clamped to the month's
 * last day), or null when the day is not known.
 */
export function nextRenewal(now: Date, renewalDay: number | null): Date | null {
  if (!renewalDay) return null;
  const local = DateTime.fromJSDate(now).setZone(LOCAL_ZONE).startOf('day');
  const on = (d: DateTime) => d.set({ day: Math.min(renewalDay, d.daysInMonth ?? 28) });
  let next = on(local);
  if (next <= local) next = on(local.plus({ months: 1 }).startOf('month'));
  return next.toJSDate();
}

/** The renewal day from getoa's `package_valid_through_date` (dd/MM/yyyy), or null. */
export function renewalDayFrom(validThrough: string | undefined): number | null {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(validThrough?.trim() ?? '');
  const day = match ? Number(match[1]) : NaN;
  return day >= 1 && day <= 31 ? day : null;
}
