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
  return per === undefined ? '' : ` trên ${sayUnit(per) ?? per}`;
}

/** 12kg, 98,5%, 100 km/h, 5 triệu km, 50.000đ/ngày, 1/2kg. */
const numberThenUnit = rule(
  'measure',
  `${START}(${QUANTITY})(\\s+${MAGNITUDES})?(\\s?)(${UNIT})${UNIT_END}(?:/(\\p{L}+)${END})?`,
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
);

/** $50, €3,50. */
const currencyThenNumber = rule(
  'currency-prefix',
  `(${alternation(PREFIX_CURRENCIES)})\\s?(${QUANTITY})(?:/(\\p{L}+)${END})?`,
  (m, context) => {
    const [, symbol = '', quantity = '', per] = m;
    return `${sayQuantity(quantity, context.dialect, context.warn)} ${CURRENCIES[symbol]}${sayRate(per)}`;
  },
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
);

export const MEASURE_RULES: Rule[] = [currencyThenNumber, shorthand, numberThenUnit];
