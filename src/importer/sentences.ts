/**
 * Sentences of a cleaned plan, with their offsets in one flat string (lines joined by "\n"). Identity and citations are
 * read per sentence: a date or a code belongs to the sentence it is written in, and a citation ("Căn cứ …; …") runs
 * over the sentences its semicolons join.
 */

export interface Sentence {
  text: string;
  start: number;
  end: number;
  /** How the sentence ended: ";" joins it to the next one of a list, anything else closes it. */
  terminator: ';' | 'other';
}

/** Where a sentence ends: ". " before a capital, ";", ":", a newline, a table cell "|", or a headline glued to the
 * first sentence of an article ("… năm 2023Thực hiện …"). */
const BREAK =
  /[;]\s*|(?<!(?:^|\n)(?:[IVXLC]+|\d+))\.\s+(?=[\p{Lu}\d(“"])|:\s+(?=\p{Lu})|\s*\n\s*|\s*\|\s*|(?<=[\p{Ll}\d])(?=\p{Lu}\p{Ll}+ )/gu;

export function splitSentences(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  let start = 0;
  const push = (end: number, terminator: Sentence['terminator']) => {
    const raw = text.slice(start, end);
    const leading = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed !== '')
      sentences.push({ text: trimmed, start: start + leading, end: start + leading + trimmed.length, terminator });
  };
  for (const match of text.matchAll(BREAK)) {
    // A line that goes on in lower case or after an unfinished clause is the same sentence typeset on two lines.
    if (match[0].includes('\n') && continuesOnNextLine(text, match.index, match.index + match[0].length)) continue;
    push(match.index, match[0].trimStart().startsWith(';') ? ';' : 'other');
    start = match.index + match[0].length;
  }
  push(text.length, 'other');
  return sentences;
}

const LINE_START_OF_UNIT =
  /^(?:[-+•–]\s|[a-zđ]\)|\d+\.\s|[IVXLC]+\.\s|Căn cứ|Thực hiện|Theo đề nghị|Xét đề nghị|QUYẾT ĐỊNH|Điều \d|KẾ HOẠCH|Nơi nhận)/u;

function continuesOnNextLine(text: string, breakStart: number, nextStart: number): boolean {
  const before = text.slice(Math.max(0, breakStart - 1), breakStart);
  const next = text.slice(nextStart, nextStart + 40);
  if (/[.;:!?|]/u.test(before) || LINE_START_OF_UNIT.test(next)) return false;
  const previousLine = text.slice(text.lastIndexOf('\n', breakStart - 1) + 1, breakStart);
  const isUpper = (line: string) => /\p{L}/u.test(line) && line === line.toLocaleUpperCase('vi');
  // An upper-case heading wrapped over two lines, or prose wrapped before a number or a lower-case word.
  if (isUpper(previousLine)) return false;
  return (
    /^[\p{Ll}\d]/u.test(next) ||
    /(?:số|ngày|Chỉ thị|Quyết định|Nghị quyết|Kế hoạch|Công văn|của|về|tại|Tờ)$/u.test(previousLine.trimEnd())
  );
}
