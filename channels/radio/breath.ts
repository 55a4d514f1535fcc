/**
 * Where an announcer takes a breath. Pure: written text in, lines out. A sentence longer than `maxSyllables`
 * is split at a comma (or ; :) or before a conjunction, choosing each time the break that leaves the two halves
 * most even, and again in each half until every piece fits or no break is left. A piece with neither is split
 * before a phrase opener (của, về, tại, ngày…) as a last resort.
 */

/** Words that may open a breath group. Two-word ones are matched before their first word alone. */
const CONJUNCTIONS = [
  'đồng thời',
  'tuy nhiên',
  'vì vậy',
  'do đó',
  'trong đó',
  'bởi vì',
  'cũng như',
  'nhằm',
  'và',
  'nhưng',
  'hoặc',
  'để',
  'song',
].map((c) => c.split(' '));

/**
 * Where a breath may go when a sentence has no comma and no conjunction: before a word that opens a phrase of
 * place, time, owner or topic. Only a line break for the announcer, no comma: a TTS box reads the phrase on.
 */
const PHRASE_OPENERS = ['của', 'về', 'tại', 'trên', 'theo', 'ngày', 'với', 'cho', 'từ', 'đến', 'trong', 'khi'];

/** A piece shorter than this is not worth a breath of its own. */
const MIN_PIECE = 4;
/** A break before a conjunction costs this many syllables of evenness against a comma, which is a pause already. */
const CONJUNCTION_PENALTY = 3;

/** Vietnamese writes one syllable per space-separated word; a token with no letter or digit is not said. */
export function countSyllables(text: string): number {
  let count = 0;
  for (const token of text.split(/\s+/)) if (/[\p{L}\p{N}]/u.test(token)) count++;
  return count;
}

export interface BreathResult {
  /** One sentence a line; a long sentence continues on lines indented by two spaces, one line a breath. */
  text: string;
  /** Sentences still over the limit because they have no comma or conjunction to break at. */
  unsplit: string[];
}

export function splitSentences(line: string): string[] {
  return line
    .split(/(?<=[.!?…])\s+(?=\S)/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Splits one sentence into breath groups of at most `maxSyllables` where it can. */
export function breathGroups(sentence: string, maxSyllables: number): string[] {
  const tokens = sentence.split(/\s+/).filter(Boolean);
  return split(tokens, maxSyllables).map((piece) => piece.join(' '));
}

function split(tokens: string[], max: number): string[][] {
  const weights: number[] = tokens.map((t) => (/[\p{L}\p{N}]/u.test(t) ? 1 : 0));
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= max) return [tokens];
  const best = bestBreak(tokens, weights, total, false) ?? bestBreak(tokens, weights, total, true);
  if (!best) return [tokens];
  const head = tokens.slice(0, best.at);
  // A break before "và", "để"…: a comma tells a TTS box to pause there too, as the announcer would.
  if (best.conjunction) head[head.length - 1] = `${head[head.length - 1]},`;
  return [...split(head, max), ...split(tokens.slice(best.at), max)];
}

/** The break leaving the most even halves: at punctuation or a conjunction, or (`phrases`) before a phrase opener. */
function bestBreak(
  tokens: string[],
  weights: number[],
  total: number,
  phrases: boolean,
): { at: number; conjunction: boolean } | null {
  let best: { at: number; score: number; conjunction: boolean } | null = null;
  let left = 0;
  for (let at = 1; at < tokens.length; at++) {
    left += weights[at - 1]!;
    const right = total - left;
    if (left < MIN_PIECE || right < MIN_PIECE) continue;
    let score = Math.max(left, right);
    let conjunction = false;
    if (phrases) {
      if (!PHRASE_OPENERS.includes(tokens[at]!.toLocaleLowerCase('vi'))) continue;
    } else if (!/[,;:]$/.test(tokens[at - 1]!)) {
      if (!startsConjunction(tokens, at)) continue;
      conjunction = true;
      score += CONJUNCTION_PENALTY;
    }
    if (!best || score < best.score) best = { at, score, conjunction };
  }
  return best;
}

function startsConjunction(tokens: string[], at: number): boolean {
  return CONJUNCTIONS.some((words) => words.every((word, i) => tokens[at + i]?.toLocaleLowerCase('vi') === word));
}

/** Lays out a whole text for reading: blank lines kept, one sentence a line, long sentences split into breaths. */
export function layoutForBreath(text: string, maxSyllables: number): BreathResult {
  const unsplit: string[] = [];
  const lines: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') {
      if (lines.length > 0 && lines[lines.length - 1] !== '') lines.push('');
      continue;
    }
    for (const sentence of splitSentences(line)) {
      const groups = breathGroups(sentence, maxSyllables);
      for (const group of groups) if (countSyllables(group) > maxSyllables) unsplit.push(group);
      lines.push(groups.map((group, i) => (i === 0 ? group : `  ${group}`)).join('\n'));
    }
  }
  while (lines[lines.length - 1] === '') lines.pop();
  return { text: lines.join('\n'), unsplit };
}
