import { rule } from './rule';
import type { Rule } from './segments';

/** Text a TTS pipeline has already marked as English (<en>…</en>) is passed through untouched. */
export const MARKUP_RULES: Rule[] = [
  rule('english-span', '<en>[\\s\\S]*?</en>', (m) => ({ text: m[0], kind: 'words' }), { needs: /<en>/ }),
];
