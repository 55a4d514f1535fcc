import { sayCardinal } from './cardinal';
import { END, START } from './patterns';
import { rule } from './rule';
import type { Rule } from './segments';

const PLACES: Record<string, string> = { Q: 'quận', P: 'phường' };

/**
 * "Q.1", "P.12": a numbered district or ward of a city, as newspapers shorten them. Said before the numbers are,
 * because "Q.1" would otherwise be a letter and a number the dot keeps apart.
 */
const numberedPlace = rule(
  'numbered-place',
  `${START}([QP])\\.\\s?(\\d{1,2})${END}`,
  (m, context) => ({ text: `${PLACES[m[1] ?? ''] ?? ''} ${sayCardinal(m[2] ?? '', context.dialect)}`, kind: 'words' }),
  { needs: /[QP]\.\s?\d/u },
);

export const PLACE_RULES: Rule[] = [numberedPlace];
