import { sayCardinal } from './cardinal';
import { lexicon } from './lexicon';
import type { Dialect } from './types';

/** Days 1–10 take mồng (mùng in the South): "ngày mồng năm". */
export function sayDay(day: number, dialect: Dialect): string {
  const number = sayCardinal(String(day), dialect);
  return day <= 10 ? `${lexicon(dialect).earlyDay} ${number}` : number;
}

/** April is tháng tư, never tháng bốn. */
export function sayMonth(month: number, dialect: Dialect): string {
  return month === 4 ? 'tư' : sayCardinal(String(month), dialect);
}

export function isDay(value: number): boolean {
  return value >= 1 && value <= 31;
}

export function isMonth(value: number): boolean {
  return value >= 1 && value <= 12;
}
