import { sayOrdinal } from './ordinal';
import { END, START } from './patterns';
import { rule } from './rule';
import type { Rule } from './segments';

/** thứ 1 → thứ nhất, thứ 4 → thứ tư, hạng 1 → hạng nhất. */
export const ORDINAL_RULES: Rule[] = [
  rule(
    'ordinal',
    `${START}(thứ|hạng)(\\s+)(\\d+)${END}(?![.,]\\d)`,
    (m, context) => `${m[1]}${m[2]}${sayOrdinal(m[3] ?? '', context.dialect)}`,
    { ignoreCase: true, needs: /(?:thứ|hạng)\s+\d/iu },
  ),
];
