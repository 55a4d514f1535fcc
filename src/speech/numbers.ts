import { sayDigits } from './cardinal';
import { MINUS, NUMBER } from './patterns';
import { isAddressNumber, sayFraction } from './quantity';
import { rule, textAfter } from './rule';
import type { Rule } from './segments';
import { sayWrittenNumber } from './written-number';

/** "Đề án 06", "Chỉ thị 04": a zero-padded number naming a document is said as printed. */
const NAMES_A_DOCUMENT =
  /(?:đề án|chỉ thị|nghị quyết|kết luận|quyết định|công văn|thông báo|kế hoạch|chương trình)(?:\s+số)?\s*$/iu;

const fraction = rule(
  'fraction',
  `(?<![\\d.,/])${MINUS}(?:\\d+\\s+(?=\\d\\/))?\\d+/\\d+(?![\\d/]|[.,]\\d)`,
  (m, context) => {
    const address = isAddressNumber(textAfter(m));
    const parts = /^(\d{1,2})\/(\d{1,2})$/.exec(m[0]);
    // "24/7" alone could be a day and a month as well as a fraction: say it as a fraction, and say that it is a guess.
    if (
      !address &&
      parts &&
      Number(parts[1]) >= 1 &&
      Number(parts[1]) <= 31 &&
      Number(parts[2]) >= 1 &&
      Number(parts[2]) <= 12
    )
      context.warn(`"${m[0]}" được đọc là phân số; nếu là ngày tháng, hãy viết "ngày ${m[0]}"`);
    return sayFraction(m[0], context.dialect, address);
  },
  { needs: /\d\/\d/u },
);

/** Every number left over: cardinals and decimals, glued to letters or not ("TL1", "cập3,143"). */
const number = rule(
  'number',
  `(?<![\\d.,])${MINUS}${NUMBER}(?!\\d)`,
  (m, context, before) => {
    if (/^0\d/.test(m[0]) && NAMES_A_DOCUMENT.test(before)) return sayDigits(m[0]);
    return sayWrittenNumber(m[0], context.dialect, context.warn);
  },
  { needs: /\d/u },
);

export const NUMBER_RULES: Rule[] = [fraction, number];
