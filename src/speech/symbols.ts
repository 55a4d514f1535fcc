import { rule } from './rule';
import type { Rule } from './segments';

/** Signs with a plain spoken form, when they stand between words or before a number. */
const SIGNS: Record<string, string> = {
  '&': 'và',
  '+': 'cộng',
  '=': 'bằng',
  '±': 'cộng trừ',
  '≥': 'lớn hơn hoặc bằng',
  '≤': 'nhỏ hơn hoặc bằng',
  '≈': 'xấp xỉ',
  '>': 'lớn hơn',
  '<': 'nhỏ hơn',
  '~': 'khoảng',
  '%': 'phần trăm',
};

export const SYMBOL_RULES: Rule[] = [
  rule(
    'symbol',
    `(?<=^|[\\s(])[&+=±≥≤≈><~%](?=\\s|$|(?<=~)\\d)`,
    (m) => ({
      text: SIGNS[m[0]] ?? m[0],
      kind: 'words',
    }),
    { needs: /[&+=±≥≤≈><~%]/u },
  ),
];
