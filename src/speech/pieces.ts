/**
 * A long line is read piece by piece. Every rule looks at a bounded neighbourhood (a number, a date, a few words
 * around it), but a regular expression tried at every position of a run of digits or signs costs more than
 * linear time in the run's length. Reading pieces of at most MAX_PIECE characters bounds that cost per piece,
 * so the whole line costs time linear in its length, whatever it contains.
 */
export const MAX_PIECE = 400;

/** Prefer to cut after a sentence or clause; else at a space; else (a run without spaces) anywhere between code points. */
const SENTENCE_END = /[.!?;:,]\s/g;
const SPACE = /\s/g;

export function splitIntoPieces(text: string, max = MAX_PIECE): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (text.length - start > max) {
    const cut = cutPoint(text, start, max);
    pieces.push(text.slice(start, cut));
    start = cut;
  }
  pieces.push(text.slice(start));
  return pieces;
}

function cutPoint(text: string, start: number, max: number): number {
  const window = text.slice(start, start + max);
  const lower = Math.floor(max / 2);
  const atSentence = lastMatchEnd(window, SENTENCE_END);
  if (atSentence > lower) return start + atSentence;
  const atSpace = lastMatchEnd(window, SPACE);
  if (atSpace > lower) return start + atSpace;
  let cut = start + max;
  const code = text.charCodeAt(cut);
  if (code >= 0xdc00 && code <= 0xdfff) cut--; // never split a surrogate pair (an emoji)
  return cut;
}

function lastMatchEnd(window: string, pattern: RegExp): number {
  let end = -1;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(window); match; match = pattern.exec(window)) end = match.index + match[0].length;
  return end;
}
