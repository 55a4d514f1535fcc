/** Units of measure and currencies as written after (or, for some currencies, before) a number. */

const LENGTH_AREA_VOLUME: Record<string, string> = {
  km: 'ki lô mét',
  m: 'mét',
  cm: 'xăng ti mét',
  mm: 'mi li mét',
  inch: 'inch',
  m2: 'mét vuông',
  'm²': 'mét vuông',
  km2: 'ki lô mét vuông',
  'km²': 'ki lô mét vuông',
  cm2: 'xăng ti mét vuông',
  'cm²': 'xăng ti mét vuông',
  ha: 'héc ta',
  m3: 'mét khối',
  'm³': 'mét khối',
  cm3: 'xăng ti mét khối',
  'cm³': 'xăng ti mét khối',
  l: 'lít',
  ml: 'mi li lít',
};

const MASS: Record<string, string> = { kg: 'ki lô gam', g: 'gam', mg: 'mi li gam', lb: 'pao' };

const DATA: Record<string, string> = {
  gb: 'gi ga bai',
  GB: 'gi ga bai',
  mb: 'mê ga bai',
  MB: 'mê ga bai',
  Mb: 'mê ga bai',
  kb: 'ki lô bai',
  KB: 'ki lô bai',
  tb: 'tê ra bai',
  TB: 'tê ra bai',
};

const ELECTRIC: Record<string, string> = {
  v: 'vôn',
  V: 'vôn',
  mV: 'mi li vôn',
  mA: 'mi li am pe',
  w: 'oát',
  W: 'oát',
  kw: 'ki lô oát',
  kW: 'ki lô oát',
  kwh: 'ki lô oát giờ',
  kWh: 'ki lô oát giờ',
  mw: 'mê ga oát',
  MW: 'mê ga oát',
  tw: 'tê ra oát',
  TW: 'tê ra oát',
  hz: 'héc',
  Hz: 'héc',
  khz: 'ki lô héc',
  kHz: 'ki lô héc',
  mhz: 'mê ga héc',
  Mhz: 'mê ga héc',
  MHz: 'mê ga héc',
  ghz: 'gi ga héc',
  GHz: 'gi ga héc',
  hp: 'mã lực',
};

const TEMPERATURE: Record<string, string> = {
  '°C': 'độ xê',
  '°c': 'độ xê',
  '°F': 'độ ép',
  '°f': 'độ ép',
  '°K': 'độ ca',
  '°k': 'độ ca',
  '°': 'độ',
};

/** Units after "/" in a rate: km/h, đồng/ngày. Time words the written unit stands for. */
const RATE_ONLY: Record<string, string> = { h: 'giờ', s: 'giây', min: 'phút', p: 'phút' };

const DURATION: Record<string, string> = { ms: 'mi li giây' };

export const UNITS: Record<string, string> = {
  ...LENGTH_AREA_VOLUME,
  ...MASS,
  ...DATA,
  ...ELECTRIC,
  ...TEMPERATURE,
  ...DURATION,
  '%': 'phần trăm',
};

export const CURRENCIES: Record<string, string> = {
  đ: 'đồng',
  '₫': 'đồng',
  VND: 'đồng',
  VNĐ: 'đồng',
  vnd: 'đồng',
  vnđ: 'đồng',
  $: 'đô la',
  USD: 'đô la',
  usd: 'đô la',
  '€': 'ơ rô',
  euro: 'ơ rô',
  EUR: 'ơ rô',
  '¥': 'yên',
  '£': 'bảng Anh',
  '₹': 'ru pi',
  '₩': 'won',
};

/** Symbols that may be written before the amount: $50, €3,50. */
export const PREFIX_CURRENCIES = ['$', '€', '¥', '£', '₹', '₩'];

/** Spoken-shorthand multipliers glued to a number: 10k, 5tr, 2t3 (NeMo and chat writing). */
export const MULTIPLIERS: Record<string, { word: 'nghìn' | 'triệu' | 'tỷ'; lower: '' | 'nghìn' | 'triệu' }> = {
  k: { word: 'nghìn', lower: '' },
  tr: { word: 'triệu', lower: 'nghìn' },
  t: { word: 'tỷ', lower: 'triệu' },
};

/** Single letters are units only when glued to the number: "5m" is five metres, "5 m" may be anything. */
export function needsGluing(unit: string): boolean {
  return /^\p{L}$/u.test(unit);
}

export function sayUnit(unit: string): string | undefined {
  return UNITS[unit] ?? CURRENCIES[unit] ?? RATE_ONLY[unit];
}
