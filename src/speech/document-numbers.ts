import { sayCardinal, sayDigits } from './cardinal';
import { END, START } from './patterns';
import { rule, textAfter } from './rule';
import type { Rule, RuleContext } from './segments';

/** Words after which the document type need not be said again ("Kế hoạch số 107/KH-UBND"). */
const TYPE_ALREADY_SAID = /(?:số:?|kế hoạch|quyết định|nghị định|thông tư|nghị quyết|chỉ thị|công văn|thông báo|báo cáo|hướng dẫn|quy định|kết luận|công điện|tờ trình)\s*$/iu;

/** A code part: an upper-case letter, then letters or "&" (TTg, SLĐTBXH, LĐ-TB&XH are all codes). */
const PART = '\\p{Lu}[\\p{L}&]*';

/** A zero-padded document number is a name, said as printed (09 → không chín); others are counts. */
export function sayDocumentNumber(number: string, context: RuleContext): string {
  return /^0\d/.test(number) ? sayDigits(number) : sayCardinal(number, context.dialect);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * 107/KH-UBND → "một trăm linh bảy của Ủy ban nhân dân"; 30/2020/NĐ-CP → "ba mươi năm hai nghìn không trăm
 * hai mươi của Chính phủ"; 35-NQ/TW (Party style). The type (KH, QĐ…) is said only when the text has not
 * said it just before; the issuer is looked up in the abbreviation dictionary.
 */
const documentNumber = rule(
  'document-number',
  `${START}(?:(\\d+)\\s*/\\s*(?:(\\d{4})\\s*/\\s*)?(${PART})-(${PART}(?:-${PART})*)|(\\d+)-(${PART})/(${PART})|(?<=[sS]ố:?\\s*)/(${PART})-(${PART}))(?![\\p{L}\\p{N}])`,
  (m, context, before) => {
    const number = m[1] ?? m[5];
    const year = m[2];
    const type = m[3] ?? m[6] ?? m[8] ?? '';
    const issuer = m[4] ?? m[7] ?? m[9] ?? '';
    const issuerName = context.abbreviations.get(issuer)?.full;
    const typeName = context.abbreviations.get(type)?.full;
    if (!issuerName) context.warn(`Ký hiệu văn bản "${m[0]}": chưa có "${issuer}" trong từ điển viết tắt`);
    if (number === undefined) context.warn(`Số văn bản để trống: "${m[0]}"`);
    const words: string[] = [];
    const typeSaid = TYPE_ALREADY_SAID.test(before);
    if (!typeSaid || number === undefined) words.push(typeName ? lowerFirst(typeName) : type);
    if (number !== undefined) {
      if (!typeSaid) words.push('số');
      words.push(sayDocumentNumber(number, context));
    }
    if (year !== undefined) words.push('năm', sayCardinal(year, context.dialect));
    const issuerSaidNext = issuerName !== undefined && textAfter(m).trimStart().toLowerCase().startsWith(`của ${issuerName.toLowerCase()}`);
    if (!issuerSaidNext) words.push(issuerName ? `của ${issuerName}` : issuer);
    return { text: words.join(' '), kind: 'words' };
  },
);

/** ISO 9001:2015, TCVN 5574:2018: the number after the colon is the year of the edition. */
const standard = rule('standard', `(?<=(?:ISO|TCVN)\\s+)(\\d+):(\\d{4})${END}`, (m, context) => ({
  text: `${sayCardinal(m[1] ?? '', context.dialect)} năm ${sayCardinal(m[2] ?? '', context.dialect)}`,
  kind: 'words',
}));

export const DOCUMENT_NUMBER_RULES: Rule[] = [documentNumber, standard];
