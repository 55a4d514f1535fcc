import type { PlanUnit } from '../domain/plan';
import { capitalize, slugify, trimItem } from './text-match';

/** Words a unit's name starts with. A list item that starts otherwise continues the previous name
 * ("các phòng chuyên môn, nghiệp vụ thuộc Sở" is one unit, not two). Sở, Ban, Phòng… only count capitalised:
 * in lower case they are the generic "các sở, ban, ngành", one group. */
const UNIT_HEADS = [
  /^(?:các|văn phòng|ubnd|ủy ban|trung tâm|đài|đơn vị|cơ quan|chi cục|thanh tra|tỉnh ủy|công an|mặt trận|chủ tịch|lãnh đạo)(?![\p{L}])/iu,
  /^(?:Sở|Phòng|Ban|Báo|Cục|Bộ|Hội)(?![\p{L}])/u,
];

export function startsUnitName(piece: string): boolean {
  return UNIT_HEADS.some((pattern) => pattern.test(piece));
}

/** Splits "Văn phòng Sở, các đơn vị sự nghiệp trực thuộc Sở" into unit names. */
export function splitUnitNames(list: string): string[] {
  const names: string[] = [];
  // The capture group keeps each separator at the odd indexes, so a continued name keeps its own punctuation.
  // "Văn phòng HĐND và UBND huyện" is one office, whose name has a "và" of its own.
  const parts = trimItem(list).split(/(,\s*|(?<!HĐND|Hội đồng nhân dân)\s+và\s+|\s+và\s+(?!UBND|Ủy ban nhân dân))/u);
  for (let index = 0; index < parts.length; index += 2) {
    const piece = parts[index] ?? '';
    const last = names.length - 1;
    if (last >= 0 && !startsUnitName(piece)) names[last] = `${names[last]}${parts[index - 1] ?? ''}${piece}`;
    else names.push(piece);
  }
  return names.map((name) => capitalize(name.trim())).filter((name) => name !== '');
}

/** Unit keys ignore the plural "các" so "Các phòng thuộc Sở" and "phòng thuộc Sở" are one unit. */
export function unitKey(name: string): string {
  return slugify(name.replace(/^các\s+/iu, ''));
}

const PLACE = '[\\p{Lu}][\\p{L}\\d]*(?:\\s+[\\p{Lu}\\d][\\p{L}\\d]*)*';
/**
 * "xã Tân Phú (trên cơ sở sáp nhập xã Tân Lập, xã Tân Hòa và thị trấn Tân Bình)", "phường An Lạc (nhập từ phường A và
 * phường B)": since the 2025 mergers a plan may name a commune with the communes it was made from.
 */
const MERGED_FROM = new RegExp(
  `(xã|phường|đặc khu)\\s+(${PLACE})\\s*\\(\\s*(?:được thành lập\\s+)?(?:trên cơ sở\\s+)?(?:sáp nhập|nhập|hợp nhất)\\s+(?:từ\\s+)?(?:toàn bộ[^()]*?của\\s+)?([^()]{3,300})\\)`,
  'gu',
);
const FORMER = new RegExp(`(?:xã|phường|thị trấn)\\s+(${PLACE})`, 'gu');

/** Old commune name (as "xã A", lower-cased level) → the new commune's name ("xã X"), where the text says so. */
export function mergedCommunes(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const match of text.matchAll(MERGED_FROM)) {
    const [, level = '', name = '', list = ''] = match;
    for (const former of list.matchAll(FORMER)) map.set(unitKey(former[1] ?? ''), `${level} ${name}`);
  }
  return map;
}

/** Collects the units a plan names, first naming wins, in order of appearance. */
export class UnitRegistry {
  private readonly byKey = new Map<string, PlanUnit>();
  /** Old commune names → the merged commune (mergedCommunes), so "UBND xã Tân Lập" becomes "UBND xã Tân Phú". */
  private readonly merged = new Map<string, string>();

  /** Where the plan says a commune was made from others, their old names are read as the new commune. */
  mapMerged(merged: Map<string, string>): void {
    for (const [old, now] of merged) this.merged.set(old, now);
  }

  add(raw: string): string {
    let name = raw;
    const place = /(?:xã|phường|thị trấn)\s+(.+)$/u.exec(raw);
    const now = place ? this.merged.get(unitKey(place[1] ?? '')) : undefined;
    if (place && now !== undefined) name = `${raw.slice(0, place.index)}${now}`;
    const key = unitKey(name);
    if (!this.byKey.has(key)) this.byKey.set(key, { key, name });
    return key;
  }

  addList(list: string): string[] {
    return splitUnitNames(list).map((name) => this.add(name));
  }

  all(): PlanUnit[] {
    return [...this.byKey.values()];
  }
}
