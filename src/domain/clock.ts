import { DateTime } from 'luxon';

import { ValidationError } from './errors';
import { LOCAL_ZONE } from './time';

/**
 * The one clock a process reads "now" from where it decides what is past: the calendar proposes nothing before today.
 * The composition root makes it (src/compose.ts, the server's options); a test sets it, never the real date.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands at the start of a local day (YYYY-MM-DD, Vietnam), for tests and `LOA_TODAY`. */
export function fixedDay(day: string, field = 'LOA_TODAY'): Clock {
  const start = DateTime.fromISO(day, { zone: LOCAL_ZONE });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !start.isValid)
    throw new ValidationError(field, `"${day}" không phải ngày hợp lệ; viết theo dạng YYYY-MM-DD, ví dụ 2026-03-01`);
  const at = start.startOf('day').toJSDate();
  return { now: () => new Date(at.getTime()) };
}

/** Today on this clock, as a Vietnam day (YYYY-MM-DD). */
export function localToday(clock: Clock): string {
  return DateTime.fromJSDate(clock.now()).setZone(LOCAL_ZONE).toISODate() ?? '';
}

/** The process's clock: the system's, or the day `LOA_TODAY` names (a rehearsal or a test of a past plan's calendar). */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): Clock {
  const day = env.LOA_TODAY?.trim();
  return day ? fixedDay(day) : systemClock;
}
