import type { KeyActivity } from '../domain/plan';
import { trimItem } from './text-match';
import { parseTiming } from './timing';
import type { UnitRegistry } from './units';

type ActivityField = 'timing' | 'lead' | 'partners';

/** "- Thời gian thực hiện: …", "- Đơn vị chủ trì thực hiện: …", "- Đơn vị phối hợp: …" */
const FIELD_LABELS: readonly [pattern: RegExp, field: ActivityField][] = [
  [/^thời gian(?: thực hiện)?$/iu, 'timing'],
  [/^(?:đơn vị|cơ quan) phối hợp(?: thực hiện)?$|^phối hợp$/iu, 'partners'],
  [/^(?:(?:đơn vị|cơ quan)(?: chủ trì)?(?: thực hiện)?|chủ trì(?: thực hiện)?)$/iu, 'lead'],
];
const ACTIVITY_START = /^([a-zđ])\)\s*(.+)$/u;
const FIELD_LINE = /^-?\s*([^:]{3,40}):\s*(.+)$/u;

function fieldOf(line: string): { field: ActivityField; value: string } | null {
  const match = FIELD_LINE.exec(line);
  if (!match) return null;
  const label = (match[1] ?? '').trim();
  const found = FIELD_LABELS.find(([pattern]) => pattern.test(label));
  return found ? { field: found[1], value: match[2] ?? '' } : null;
}

/** Key activities "a) …" with their timing, lead and partner units. */
export function parseActivities(lines: string[], year: number | null, units: UnitRegistry): KeyActivity[] {
  const activities: KeyActivity[] = [];
  for (const line of lines) {
    const start = ACTIVITY_START.exec(line);
    if (start) {
      activities.push({
        label: start[1] ?? '',
        title: trimItem(start[2] ?? ''),
        timing: null,
        leadUnitKeys: [],
        partnerUnitKeys: [],
      });
      continue;
    }
    const current = activities.at(-1);
    const field = fieldOf(line);
    if (!current || !field) continue;
    if (field.field === 'timing') current.timing = parseTiming(field.value, { year });
    else if (field.field === 'lead') current.leadUnitKeys.push(...units.addList(field.value));
    else current.partnerUnitKeys.push(...units.addList(field.value));
  }
  return activities;
}
