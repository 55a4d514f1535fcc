import type { AbbreviationDictionary, Dialect } from './types';

/**
 * The text being normalised, as a list of pieces. A piece that has been spoken is never looked at
 * again, so a later rule cannot re-read words an earlier rule produced.
 */
export type Segment =
  | { spoken: false; text: string }
  | { spoken: true; text: string; kind: SpokenKind };

/** `quantity` pieces can be joined by a dash into a range ("2021 - 2025" → … đến …). */
export type SpokenKind = 'quantity' | 'words';

export interface RuleContext {
  dialect: Dialect;
  abbreviations: AbbreviationDictionary;
  warn(message: string): void;
}

export interface Spoken {
  text: string;
  kind: SpokenKind;
}

export interface Rule {
  name: string;
  /** Must have the `g` and `u` flags. */
  pattern: RegExp;
  /** The spoken form of one match, or null to leave the match for later rules. */
  say(match: RegExpExecArray, context: RuleContext, before: string): Spoken | string | null;
}

export function applyRule(segments: Segment[], rule: Rule, context: RuleContext): Segment[] {
  return segments.flatMap((segment) => (segment.spoken ? [segment] : applyToText(segment.text, rule, context)));
}

function applyToText(text: string, rule: Rule, context: RuleContext): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  rule.pattern.lastIndex = 0;
  for (let match = rule.pattern.exec(text); match; match = rule.pattern.exec(text)) {
    if (match[0] === '') {
      rule.pattern.lastIndex++;
      continue;
    }
    const said = rule.say(match, context, text.slice(0, match.index));
    if (said === null) continue;
    const spoken = typeof said === 'string' ? { text: said, kind: 'quantity' as const } : said;
    if (match.index > last) out.push({ spoken: false, text: text.slice(last, match.index) });
    out.push({ spoken: true, ...spoken });
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push({ spoken: false, text: text.slice(last) });
  return out;
}

/** Joins the pieces, putting a space between a spoken piece and a letter or digit glued to it ("cập3" → "cập ba"). */
export function joinSegments(segments: Segment[]): string {
  let text = '';
  let previousSpoken = false;
  for (const segment of segments) {
    const glued = /[\p{L}\p{N}]$/u.test(text) && /^[\p{L}\p{N}]/u.test(segment.text);
    if (glued && (segment.spoken || previousSpoken)) text += ' ';
    text += segment.text;
    previousSpoken = segment.spoken;
  }
  return text;
}
