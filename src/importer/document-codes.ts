import type { DocumentCode } from '../domain/plan';

/**
 * Vietnamese document codes as written: "107/KH-UBND", "251/QĐ-BNV", "34/2017/NĐ-CP", "06-CTr/TU" (the Party's order),
 * "132-KH/UBND" (a commune's slip), and a plan whose number was left blank, "Số: /KH-SLĐTBXH". Spaces around the
 * separators are layout ("65/ KH-UBND"), so the code's text drops them and keeps everything else, leading zeros and
 * slips included.
 */
const CODE =
  /(?<![\p{L}\p{N}/])(\d*)(\/\d{4})?\s*([/-])\s*(\p{Lu}[\p{Lu}\p{Ll}]{0,4})\s*([/-])\s*(\p{Lu}[\p{L}\p{N}&]*(?:-\p{Lu}[\p{L}\p{N}&]*)*)(?![\p{L}\p{N}])/gu;
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
  return found;
}

/** Kinds that are a plan, or a decision that can carry one. */
export const isPlanKind = (code: DocumentCode) => code.kind === 'KH';
export const isDecisionKind = (code: DocumentCode) => code.kind === 'QĐ';
