import { sayCardinal } from './cardinal';
import { lexicon } from './lexicon';
import { alternation, END, START } from './patterns';
import { QUANTITY, sayQuantity } from './quantity';
import { rule } from './rule';
import type { Rule } from './segments';
import { CURRENCIES, MULTIPLIERS, needsGluing, PREFIX_CURRENCIES, sayUnit, UNITS } from './units';

const MAGNITUDES = '(?:nghìn|ngàn|triệu|tỷ|tỉ|vạn)';
const UNIT = alternation([...Object.keys(UNITS), ...Object.keys(CURRENCIES)]);
/** Symbols are not letters, so "%" and "$" need no boundary after them; letters do ("5 mục" is not 5 m). */
const UNIT_END = `(?:(?<=[^\\p{L}\\p{N}])|${END})`;

/** "/ngày" after a unit: trên ngày; a known unit is said in full (km/h → ki lô mét trên giờ). */
function sayRate(per: string | undefined): string {
  if (per === undefined) return '';
  // "đồng/người/tháng": every slash of a compound rate is a "trên".
  return per
    .split('/')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => ` trên ${sayUnit(part) ?? part}`)
    .join('');
}

/** One or more "/ngày" after a unit: "/người/tháng", "/hồ sơ" (its first syllable: the rest follows as written). */
const PER = `((?:\\s?/\\s?\\p{L}+${END})+)?`;

/** 12kg, 98,5%, 100 km/h, 5 triệu km, 50.000đ/ngày, 1/2kg. */
const numberThenUnit = rule(
  'measure',
  `${START}(${QUANTITY})(\\s+${MAGNITUDES})?(\\s?)(${UNIT})${UNIT_END}${PER}`,
  (m, context) => {
    const [, quantity = '', magnitude = '', space, unit = '', per] = m;
    if (space && needsGluing(unit) && per === undefined) return null;
    const magnitudeWord =
      magnitude.trim() === 'ngàn' || magnitude.trim() === 'nghìn'
        ? lexicon(context.dialect).thousand
        : magnitude.trim();
    const words = [sayQuantity(quantity, context.dialect, context.warn), magnitudeWord, sayUnit(unit)];
    return words.filter(Boolean).join(' ') + sayRate(per);
  },
  // A quantity ends with a digit, and its unit follows it.
  { needs: new RegExp(`\\d(?:\\s+${MAGNITUDES})?\\s?(?:${UNIT})`, 'u') },
);

/** $50, €3,50. */
const currencyThenNumber = rule(
  'currency-prefix',
  `(${alternation(PREFIX_CURRENCIES)})\\s?(${QUANTITY})${PER}`,
  (m, context) => {
    const [, symbol = '', quantity = '', per] = m;
    return `${sayQuantity(quantity, context.dialect, context.warn)} ${CURRENCIES[symbol]}${sayRate(per)}`;
  },
  { needs: /[$€¥£₹₩]/u },
);

/** 10k, 5tr, 1tr2 (= 1,2 triệu: một triệu hai trăm nghìn), 2t3, "10k VND". */
const shorthand = rule(
  'multiplier',
  `${START}(\\d+)(k|tr|t)(\\d{1,3})?(?:\\s*(VND|VNĐ|vnd|vnđ|đ))?${END}`,
  (m, context) => {
    const [, amount = '', letters = '', rest, currency] = m;
    const multiplier = MULTIPLIERS[letters];
    if (!multiplier) return null;
    const dialect = context.dialect;
    const scale = (word: string) => (word === 'nghìn' ? lexicon(dialect).thousand : word);
    const words = [sayCardinal(amount, dialect), scale(multiplier.word)];
    if (rest !== undefined) words.push(sayCardinal(rest.padEnd(3, '0'), dialect), scale(multiplier.lower));
    if (currency !== undefined) words.push('đồng');
    return words.filter(Boolean).join(' ');
  },
  { needs: /\d[kt]/u },
);

/**
 * A rate written after an amount in words: "500.000 đồng/người/tháng", "2.000 đồng/trang", "50.000 đồng/hồ sơ"
 * (the number is said by its own rule). Each slash is "trên", as in every other rate.
 */
const writtenCurrencyRate = rule(
  'currency-rate',
  `${START}(đồng|USD|VNĐ|VND)((?:\\s?/\\s?\\p{Ll}+${END})+)`,
  (m) => {
    const [, currency = '', per] = m;
    return { text: `${CURRENCIES[currency] ?? currency}${sayRate(per)}`, kind: 'words' };
  },
  { needs: /(?:đồng|USD|VNĐ|VND)\s?\//u },
);

export const MEASURE_RULES: Rule[] = [currencyThenNumber, shorthand, numberThenUnit, writtenCurrencyRate];
