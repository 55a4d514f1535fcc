import { textBefore } from './match-context';
import type { AbbreviationDictionary, Dialect } from './types';

/**
 * The text being normalised, as a list of pieces. A piece that has been spoken is never looked at
 * again, so a later rule cannot re-read words an earlier rule produced.
 */
export type Segment = { spoken: false; text: string } | { spoken: true; text: string; kind: SpokenKind };

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
  /**
   * A cheap test a text must pass for `pattern` to match in it (a digit, a slash, a keyword), without the `g` flag: a
   * piece of text without it is not searched. About 45 rules are tried on every piece, and most need something most
   * pieces lack; a rule's own pattern, tried at every position, costs several times the test's one scan.
   */
  needs?: RegExp;
  /** The spoken form of one match, or null to leave the match for later rules. */
  say(match: RegExpExecArray, context: RuleContext, before: string): Spoken | string | null;
}

export function applyRule(segments: Segment[], rule: Rule, context: RuleContext): Segment[] {
  const needs = rule.needs;
  // The list is copied only from the first segment the rule speaks in: most rules speak in none (a publication's
  // ~45 rules made as many new lists and one array per segment each, a quarter of the normaliser's time).
  let out: Segment[] | undefined;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const said =
      segment.spoken || (needs !== undefined && !needs.test(segment.text))
        ? undefined
        : applyToText(segment.text, rule, context);
    if (said === undefined) out?.push(segment);
    else {
      out ??= segments.slice(0, i);
      for (const piece of said) out.push(piece);
    }
  }
  return out ?? segments;
}

/** The text cut into what the rule says and what it leaves, or undefined when it says nothing there. */
function applyToText(text: string, rule: Rule, context: RuleContext): Segment[] | undefined {
  let out: Segment[] | undefined;
  let last = 0;
  rule.pattern.lastIndex = 0;
  for (let match = rule.pattern.exec(text); match; match = rule.pattern.exec(text)) {
    if (match[0] === '') {
      // Step over one whole code point: with the `u` flag, a lastIndex inside a surrogate pair (an emoji)
      // is moved back to the pair's start, so stepping one code unit would match the same place for ever.
      rule.pattern.lastIndex = match.index + ((text.codePointAt(match.index) ?? 0) > 0xffff ? 2 : 1);
      continue;
    }
    const said = rule.say(match, context, textBefore(match));
    if (said === null) continue;
    out ??= [];
    if (match.index > last) out.push({ spoken: false, text: text.slice(last, match.index) });
    out.push(
      typeof said === 'string'
        ? { spoken: true, text: said, kind: 'quantity' }
        : { spoken: true, text: said.text, kind: said.kind },
    );
    last = match.index + match[0].length;
  }
  if (out && last < text.length) out.push({ spoken: false, text: text.slice(last) });
  return out;
}

const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

function lastCodePoint(text: string): string {
  if (text === '') return '';
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xdc00 && last <= 0xdfff ? text.slice(-2) : text.slice(-1);
}

/** Joins the pieces, putting a space between a spoken piece and a letter or digit glued to it ("cập3" → "cập ba"). */
export function joinSegments(segments: Segment[]): string {
  let text = '';
  let previousSpoken = false;
  for (const segment of segments) {
    // Only the last code point of the text so far is looked at: a `$` pattern would rescan the whole text each time.
    const glued = LETTER_OR_DIGIT.test(lastCodePoint(text)) && /^[\p{L}\p{N}]/u.test(segment.text);
    if (glued && (segment.spoken || previousSpoken)) text += ' ';
    text += segment.text;
    previousSpoken = segment.spoken;
  }
  return text;
}
