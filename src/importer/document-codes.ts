import type { DocumentCode } from '../domain/plan';

/**
 * Vietnamese document codes as written: "107/KH-UBND", "251/QĐ-BNV", "34/2017/NĐ-CP", "06-CTr/TU" (the Party's order),
 * "6612/BVHTTDL-TTCS" (a ministry's letter: its name, then the department's), "258/2025/QH15" (the National Assembly),
 * "132-KH/UBND" (a commune's slip), and a plan whose number was left blank, "Số: /KH-SLĐTBXH". Spaces around the
 * separators are layout ("65/ KH-UBND"), so the code's text drops them and keeps everything else, leading zeros and
 * slips included.
 */
const CODE =
  /(?<![\p{L}\p{N}/])(\d*)(\/\d{4})?\s*([/-])\s*(\p{Lu}[\p{Lu}\p{Ll}]{0,7})\s*([/-])\s*(\p{Lu}[\p{L}\p{N}&]*(?:-\p{Lu}[\p{L}\p{N}&]*)*)(?![\p{L}\p{N}])/gu;
/** The National Assembly's and its Standing Committee's codes: "258/2025/QH15", "35/2023/UBTVQH15" (number, year, body
 * and its term; no kind). */
const ASSEMBLY_CODE = /(?<![\p{L}\p{N}/])(\d+)\/\d{4}\/((?:UBTV)?QH\d{1,2})(?![\p{L}\p{N}])/gu;
/** A blank number is only a code right after "Số:" (the header of a plan sent for signature). */
const BLANK_NUMBER_LEAD = /số\s*:?\s*$/iu;

export interface CodeOccurrence {
  code: DocumentCode;
  start: number;
  end: number;
}

export function findDocumentCodes(text: string): CodeOccurrence[] {
  const found: CodeOccurrence[] = [];
  for (const match of text.matchAll(CODE)) {
    const [whole, number = '', year = '', , kind = '', , issuer = ''] = match;
    if (number === '' && !BLANK_NUMBER_LEAD.test(text.slice(Math.max(0, match.index - 12), match.index))) continue;
    found.push({
      code: {
        text: whole.replace(/\s+/gu, ''),
        number: number === '' ? null : Number(number),
        kind,
        issuerAbbreviation: issuer,
      },
      start: match.index,
      end: match.index + whole.length,
    });
    void year;
  }
  for (const match of text.matchAll(ASSEMBLY_CODE)) {
    const [whole, number = '', body = ''] = match;
    found.push({
      code: { text: whole, number: Number(number), kind: '', issuerAbbreviation: body },
      start: match.index,
      end: match.index + whole.length,
    });
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Kinds that are a plan, or a decision that can carry one. */
export const isPlanKind = (code: DocumentCode) => code.kind === 'KH';
export const isDecisionKind = (code: DocumentCode) => code.kind === 'QĐ';
