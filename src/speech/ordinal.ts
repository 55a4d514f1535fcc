import { sayCardinal } from './cardinal';
import type { Dialect } from './types';

/** After "thứ" and "hạng": 1 is nhất and 4 is tư; the rest are cardinals (thứ hai, thứ mười bốn). */
export function sayOrdinal(value: string, dialect: Dialect): string {
  const n = value.replace(/^0+(?=\d)/, '');
  if (n === '1') return 'nhất';
  if (n === '4') return 'tư';
  return sayCardinal(n, dialect);
}
