/**
 * The two-tier local government (since 1 July 2025): a province's units are the province itself, its departments
 * (sở, ban, ngành and the offices under them) and its communes, wards and special zones; the district tier is gone.
 * A unit keeps its id for life: it can be renamed, merged into another (its channels, users and items move there,
 * its history stays), or retired.
 */
export const UNIT_KINDS = {
  tinh: 'Tỉnh, thành phố',
  'so-nganh': 'Sở, ban, ngành',
  xa: 'Xã, đặc khu',
  phuong: 'Phường',
  huyen: 'Huyện, quận, thị xã (cấp cũ, bỏ từ 01/7/2025)',
  khac: 'Khác',
} as const;
export type UnitKind = keyof typeof UNIT_KINDS;

/** Kinds at the commune level: what the report's coverage counts. */
export const COMMUNE_KINDS: readonly UnitKind[] = ['xa', 'phuong'];

/** A unit as the administration sees it: its kind and, once retired or merged, when and into what. */
export interface UnitRecord {
  id: string;
  name: string;
  kind: UnitKind;
  /** Set once the unit stopped (merged or retired). */
  retiredAt: Date | null;
  /** The unit it was merged into, if it was merged. */
  mergedInto: string | null;
}

/** A name change, a merger or a retirement, kept for ever: what the report reads to show units as they were. */
export interface UnitEvent {
  unitId: string;
  action: 'rename' | 'merge' | 'retire';
  nameBefore: string;
  nameAfter: string | null;
  intoUnitId: string | null;
  at: Date;
  by: string;
}

const KIND_OF_NAME: Array<[RegExp, UnitKind]> = [
  [/^(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân|hđnd|hội đồng nhân dân)?\s*(?:xã|đặc khu|thị trấn)\s/iu, 'xa'],
  [/^(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)?\s*phường\s/iu, 'phuong'],
  [/^(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)?\s*(?:huyện|quận|thị xã)\s/iu, 'huyen'],
  [/^(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)?\s*(?:tỉnh|thành phố)\s/iu, 'tinh'],
  [/^(?:sở|ban|văn phòng|thanh tra|chi cục|trung tâm|đài|báo|công an|bộ chỉ huy|phòng)\s/iu, 'so-nganh'],
];

/**
 * The kind a unit's name says: "UBND xã Tân Lập" and "Xã Tân Lập" are communes, "Sở Nội vụ" a department.
 * "thành phố" alone is read as the province level: since 2025 a city under a province is gone with the districts.
 */
export function kindOfUnitName(name: string): UnitKind {
  const text = name.normalize('NFC').trim();
  return KIND_OF_NAME.find(([pattern]) => pattern.test(`${text} `))?.[1] ?? 'khac';
}

export function parseUnitKind(text: string): UnitKind | null {
  return text in UNIT_KINDS ? (text as UnitKind) : null;
}
