/**
 * PDF text arrives as typeset lines: a paragraph is broken wherever a line was full, before a capital as often as
 * before a lowercase word ("… trên địa bàn tỉnh" / "Bình Phước, …"). A line that was full and does not end a
 * sentence continues on the next one, unless the next one opens a new block (list item, numbered heading). A
 * paragraph's last line is short in typeset text, so fullness, not punctuation, is the main sign.
 */
// Only a full stop ends a paragraph here: plans run lists on with ";" and ":" inside one paragraph.
const ENDS_SENTENCE = /[.!?…]$/u;
const OPENS_BLOCK = /^(?:[-+•–]\s|[a-zđ]\)\s|\d+(?:\.\d+)*[.)]\s|[IVXLC]+\.\s|Điều\s+\d)/u;
const PAGE_NUMBER = /^(?:-\s*)?\d{1,3}(?:\s*-)?$/u;

/** How full a line must be, against the document's usual full line, to count as wrapped. */
const FULL_LINE = 0.8;

function usualFullLength(lines: string[]): number {
  const lengths = lines
    .map((line) => line.length)
    .filter((length) => length > 0)
    .sort((a, b) => a - b);
  return lengths[Math.floor(lengths.length * 0.9)] ?? 0;
}

export function unwrapTypesetLines(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => !PAGE_NUMBER.test(line));
  const full = usualFullLength(lines) * FULL_LINE;
  const paragraphs: string[] = [];
  let lastLineWasFull = false;
  for (const line of lines) {
    const continues = lastLineWasFull && line !== '' && !OPENS_BLOCK.test(line);
    if (continues) paragraphs[paragraphs.length - 1] += ` ${line}`;
    else paragraphs.push(line);
    lastLineWasFull = line.length >= full && !ENDS_SENTENCE.test(line);
  }
  return paragraphs.join('\n');
}
