import { DateTime } from 'luxon';

import { LOCAL_ZONE } from '../../src/domain/time';

/** Zalo refuses broadcasts from 22:00 to 06:00 Vietnam time. */
const NIGHT_FROM_HOUR = 22;
const MORNING_HOUR = 6;

export function isBroadcastNight(now: Date): boolean {
  const hour = DateTime.fromJSDate(now).setZone(LOCAL_ZONE).hour;
  return hour >= NIGHT_FROM_HOUR || hour < MORNING_HOUR;
}

/** The next 06:00 Vietnam time after `now`. */
export function nextBroadcastMorning(now: Date): Date {
  const local = DateTime.fromJSDate(now).setZone(LOCAL_ZONE);
  let morning = local.set({ hour: MORNING_HOUR, minute: 0, second: 0, millisecond: 0 });
  if (morning <= local) morning = morning.plus({ days: 1 });
  return morning.toJSDate();
}
