import { sayCardinal, sayDigits } from './cardinal';
import { spellLetters } from './lexicon';
import { END, START } from './patterns';
import { rule, textAfter } from './rule';
import type { Rule, RuleContext } from './segments';

/** Words after which the document type need not be said again ("Kế hoạch số 107/KH-UBND"). */
const TYPE_ALREADY_SAID =
  /(?:số:?|kế hoạch|quyết định|nghị định|thông tư|nghị quyết|chỉ thị|công văn|thông báo|báo cáo|hướng dẫn|quy định|kết luận|công điện|tờ trình)\s*$/iu;

/** A code part: an upper-case letter, then letters or "&" (TTg, SLĐTBXH, LĐ-TB&XH are all codes). */
const PART = '\\p{Lu}[\\p{L}&]*';

/** What makes a dictionary entry a document type (KH, QĐ, CTr…) rather than a body. */
const DOCUMENT_TYPE_NAME =
  /^(?:Kế hoạch|Quyết định|Nghị định|Nghị quyết|Thông tư|Chỉ thị|Thông báo|Báo cáo|Hướng dẫn|Công văn|Công điện|Chương trình|Tờ trình|Kết luận|Phương án|Quy định|Đề án)/u;
/** "… 06-CTr/TU ngày 17/3/2021 của Thành ủy Hà Nội": the text names the body itself, so the code need not. */
const BODY_NAMED_AFTER =
  /^\s*(?:,?\s*ngày\s*[\d/.-]+(?:\s*tháng\s*\d+\s*năm\s*\d+)?\s*)?của\s+((?:Thành ủy|Tỉnh ủy|Huyện ủy|Đảng ủy|Ban|Bộ|Cục|Vụ|Ủy ban|UBND|Sở|Thủ tướng|Chính phủ|Trung ương|Hội đồng|HĐND|Quốc hội|Chủ tịch|Văn phòng|Thanh tra|Tòa án|Viện|Kiểm toán|Ngân hàng|Đảng đoàn|Ban cán sự)[^,;.]*)/u;

/**
 * The body a code names after its type: one dictionary entry ("UBND", "SLĐTBXH", "PT&TH"), a chain of entries
 * joined by "-" ("BTTTT-KHTC": the ministry, then its department), or bodies issuing jointly, joined by "&"
 * ("UBND&UBMTTQ") when the whole is no entry of its own. Null when any part is unknown: a code is said
 * whole or not at all, never half.
 */
function bodyOf(code: string, context: RuleContext): string | null {
  const whole = context.abbreviations.get(code)?.full;
  if (whole !== undefined) return whole;
  const parts = code.split('-').map((part) => context.abbreviations.get(part)?.full ?? jointBody(part, context));
  if (parts.length === 1) return parts[0] ?? null;
  return parts.every((part) => part !== null) ? parts.join(', ') : null;
}

/** "UBND&UBMTTQ": two bodies issuing together, each a dictionary entry; said "… và …". Null when one is unknown. */
function jointBody(code: string, context: RuleContext): string | null {
  const bodies = code.split('&').map((part) => context.abbreviations.get(part)?.full);
  return bodies.length > 1 && bodies.every((body) => body !== undefined) ? bodies.join(' và ') : null;
}

/** A zero-padded document number is a name, said as printed (09 → không chín); others are counts. */
export function sayDocumentNumber(number: string, context: RuleContext): string {
  // "30c/NQ-CP": a letter after the number is part of its name, said by its letter name (ba mươi xê).
  const [, digits = number, letter] = /^(\d+)(\p{Ll})?$/u.exec(number) ?? [];
  const said = /^0\d/.test(digits) ? sayDigits(digits) : sayCardinal(digits, context.dialect);
  return letter === undefined ? said : `${said} ${spellLetters(letter)}`;
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
  `${START}(?:(\\d+\\p{Ll}?)\\s*/\\s*(?:(\\d{4})\\s*/\\s*)?(${PART})\\s*-\\s*(${PART}(?:-${PART})*)|(\\d+\\p{Ll}?)-(${PART})/(${PART})|(?<=[sS]ố:?\\s*)/(${PART})-(${PART})|(\\d+\\p{Ll}?)/(\\d{4})/(\\p{Lu}+)(\\d{1,2}))(?![\\p{L}\\p{N}])`,
  (m, context, before) => {
    const number = m[1] ?? m[5] ?? m[10];
    const year = m[2] ?? m[11];
    let type = m[3] ?? m[6] ?? m[8] ?? '';
    let issuer = m[4] ?? m[7] ?? m[9] ?? m[12] ?? '';
    // "35/2023/UBTVQH15", "11/2022/QH15": the body and the term (khóa) of the National Assembly that issued it.
    const term = m[13];
    let typeName = context.abbreviations.get(type)?.full;
    // "5104/BTTTT-PTTH&TTĐT": no type, the issuing ministry and its department.
    if (typeName !== undefined && !DOCUMENT_TYPE_NAME.test(typeName)) {
      issuer = `${type}-${issuer}`;
      type = '';
      typeName = undefined;
    }
    let issuerName = bodyOf(issuer, context) ?? undefined;
    // "2231/SNV-CCHC&PC": the issuing body is known, the drafting office after it is not. The body is what a
    // listener needs; the office is left out, and the officer is told.
    const head = issuer.split('-')[0] ?? '';
    const headName = issuer.includes('-') ? context.abbreviations.get(head)?.full : undefined;
    if (issuerName === undefined && headName !== undefined) {
      issuerName = headName;
      context.warn(
        `Ký hiệu văn bản "${m[0]}": chưa có "${issuer.slice(head.length + 1)}" trong từ điển viết tắt; chỉ đọc cơ quan ban hành (${headName})`,
      );
    }
    // The type need not be known when the text has just said it ("Kế hoạch số 107/KH-UBND").
    const typeNeeded = !TYPE_ALREADY_SAID.test(before) || number === undefined;
    const unknown = [
      issuerName === undefined ? issuer : null,
      typeNeeded && type !== '' && typeName === undefined ? type : null,
    ].filter((part) => part !== null);
    if (unknown.length > 0) {
      context.warn(
        `Ký hiệu văn bản "${m[0]}": chưa có ${unknown.map((part) => `"${part}"`).join(', ')} trong từ điển viết tắt; giữ nguyên, chưa đọc`,
      );
      return { text: m[0], kind: 'words' };
    }
    if (number === undefined) context.warn(`Số văn bản để trống: "${m[0]}"`);
    const words: string[] = [];
    const typeSaid = TYPE_ALREADY_SAID.test(before);
    if ((!typeSaid || number === undefined) && typeName !== undefined) words.push(lowerFirst(typeName));
    if (number !== undefined) {
      if (!typeSaid && typeName !== undefined) words.push('số');
      words.push(sayDocumentNumber(number, context));
    }
    if (year !== undefined) words.push('năm', sayCardinal(year, context.dialect));
    const after = textAfter(m);
    // The text names the body itself, right after the code or after its date ("Nghị định số 25/2025/NĐ-CP ngày
    // 21/02/2025 của Chính phủ", "06-CTr/TU … của Thành ủy Hà Nội"): the code's body is not said as well, or the
    // listener hears the issuer twice.
    const namedAfter = BODY_NAMED_AFTER.exec(after)?.[1];
    // "Thủ tướng Chính phủ … ký Quyết định số 571/QĐ-TTg", "của Sở Nội vụ tại Tờ trình số 1494/TTr-SNV": the
    // sentence has just named the issuer.
    // "Văn phòng UBND tỉnh Lai Châu đã ban hành Kế hoạch số 1888/KH-VPUBND": the clause is compared with its short
    // forms spelt out, as the listener hears it.
    const clause = spelledOut(before.slice(-60).split(/[;.]/).pop() ?? '', context);
    const issuerSaidBefore =
      issuerName !== undefined &&
      (clause.toLowerCase().includes(issuerName.toLowerCase()) ||
        new RegExp(`(?<![\\p{L}])${issuer}(?![\\p{L}])`, 'u').test(clause));
    const issuerSaidNext =
      issuerSaidBefore ||
      namedAfter !== undefined ||
      after
        .trimStart()
        .toLowerCase()
        .startsWith(`của ${(issuerName ?? '').toLowerCase()}`);
    if (!issuerSaidNext)
      words.push(`của ${issuerName}${term === undefined ? '' : ` khóa ${sayCardinal(term, context.dialect)}`}`);
    return { text: words.join(' '), kind: 'words' };
  },
  // Every shape has a slash before a code's first capital (after the year, when there is one).
  { needs: /\/\s*\p{Lu}/u },
);

/** A clause with each short form standing alone replaced by its full name ("Văn phòng UBND" → "Văn phòng Ủy ban nhân dân"). */
function spelledOut(clause: string, context: RuleContext): string {
  // A short form inside another code ("1494/TTr-SNV") is never said aloud, so it names nobody to the listener.
  return clause.replace(
    /(?<![/\-\p{L}\p{N}])\p{Lu}[\p{L}&]*(?![/\-\p{L}\p{N}])/gu,
    (word) => context.abbreviations.get(word)?.full ?? word,
  );
}

/** ISO 9001:2015, TCVN 5574:2018: the number after the colon is the year of the edition. */
const standard = rule(
  'standard',
  `(?<=(?:ISO|TCVN)\\s+)(\\d+):(\\d{4})${END}`,
  (m, context) => ({
    text: `${sayCardinal(m[1] ?? '', context.dialect)} năm ${sayCardinal(m[2] ?? '', context.dialect)}`,
    kind: 'words',
  }),
  { needs: /(?:ISO|TCVN)\s+\d+:\d/u },
);

export const DOCUMENT_NUMBER_RULES: Rule[] = [documentNumber, standard];
