import { sayDigits } from './cardinal';
import { spellLetters } from './lexicon';
import { END, START } from './patterns';
import { rule } from './rule';
import type { Rule } from './segments';

const SEPARATORS: Record<string, string> = {
  '.': 'chấm',
  '@': 'a còng',
  '/': 'gạch chéo',
  '-': 'gạch ngang',
  _: 'gạch dưới',
  ':': 'hai chấm',
  '?': 'chấm hỏi',
  '=': 'bằng',
  '#': 'thăng',
  '+': 'cộng',
  '&': 'và',
  '~': 'dấu ngã',
  '%': 'phần trăm',
};

/** Pieces of addresses that Vietnamese listeners know by ear. */
const KNOWN_WORDS: Record<string, string> = {
  www: 'vê kép vê kép vê kép',
  com: 'com',
  net: 'nét',
  org: 'o rờ gờ',
  vn: 'vê nờ',
  gov: 'gờ o vê',
  edu: 'e đu',
  gmail: 'gờ meo',
  yahoo: 'da hu',
  facebook: 'phây búc',
  zalo: 'da lô',
  youtube: 'diu túp',
  pdf: 'pê đê ép',
  doc: 'đốc',
  docx: 'đốc',
  xls: 'ích xen',
  xlsx: 'ích xen',
};

/** Vietnamese written without diacritics, syllable after syllable: binhphuoc, dichvucong. */
const UNACCENTED_VIETNAMESE =
  /^(?:(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?)+$/;

/** A run of letters is kept when it can be read as a word, and spelled when it cannot (btcdtst, KH). */
function sayLetters(run: string): string {
  const known = KNOWN_WORDS[run.toLowerCase()];
  if (known) return known;
  if (run !== run.toLowerCase() || run.length < 3) return spellLetters(run);
  const readable = UNACCENTED_VIETNAMESE.test(run) || (/[aeiouy]/.test(run) && !/[^aeiouy]{4}/.test(run));
  return readable ? run : spellLetters(run);
}

/** Spells an e-mail, web address or file name piece by piece; digits are read one by one, to be typed. */
export function sayAddress(address: string): string {
  const withoutScheme = address.replace(/^(?:https?|ftp):\/\//i, '');
  const pieces = withoutScheme.match(/\p{L}+|\d+|./gu) ?? [];
  return pieces
    .map((piece) => {
      if (/^\d+$/.test(piece)) return sayDigits(piece);
      if (/^\p{L}+$/u.test(piece)) return sayLetters(piece);
      return SEPARATORS[piece] ?? piece;
    })
    .join(' ');
}

const ADDRESS_TAIL = `(?:[^\\s<>"'()]*[^\\s<>"'().,;:!?])?`;
const spoken = (m: RegExpExecArray) => ({ text: sayAddress(m[0]), kind: 'words' as const });

const email = rule(
  'email',
  `${START}[\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,}${END}`,
  spoken,
  { needs: /@/ },
);
const url = rule('url', `(?:(?:https?|ftp)://|www\\.)${ADDRESS_TAIL}`, spoken, {
  ignoreCase: true,
  needs: /:\/\/|www\./iu,
});
/** A bare domain needs a known ending, or "v.v" and "TP.HCM" would be read as addresses. */
const domain = rule(
  'domain',
  `${START}[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.(?:vn|com|net|org|gov|edu|io|info)${END}(?:/${ADDRESS_TAIL})?`,
  spoken,
  { ignoreCase: true, needs: /\.(?:vn|com|net|org|gov|edu|io|info)(?![\p{L}\p{N}_])/iu },
);
const fileName = rule(
  'file-name',
  `${START}[\\p{L}\\p{N}_.-]+\\.(?:pdf|docx?|xlsx?|pptx?|zip|rar|txt|jpe?g|png)${END}`,
  spoken,
  { ignoreCase: true, needs: /\.(?:pdf|docx?|xlsx?|pptx?|zip|rar|txt|jpe?g|png)(?![\p{L}\p{N}_])/iu },
);

export const WEB_ADDRESS_RULES: Rule[] = [email, url, domain, fileName];
