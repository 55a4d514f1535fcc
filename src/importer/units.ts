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

/** Collects the units a plan names, first naming wins, in order of appearance. */
export class UnitRegistry {
  private readonly byKey = new Map<string, PlanUnit>();

  add(name: string): string {
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
