/** A clause of a paragraph, with its place in it so neighbouring clauses can be re-joined in the plan's own words. */
export interface Clause {
  text: string;
  start: number;
  end: number;
}

/** Splits at ";" and at a full stop followed by a capital: the units Vietnamese plans enumerate content in. */
const CLAUSE_BREAK = /;\s*|\.\s+(?=\p{Lu})/gu;

export function splitClauses(paragraph: string): Clause[] {
  const clauses: Clause[] = [];
  let start = 0;
  const push = (end: number) => {
    const raw = paragraph.slice(start, end);
    const leading = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text !== '') clauses.push({ text, start: start + leading, end: start + leading + text.length });
  };
  for (const match of paragraph.matchAll(CLAUSE_BREAK)) {
    push(match.index);
    start = match.index + match[0].length;
  }
  push(paragraph.length);
  return clauses;
}

/** Splits at commas and "và" outside brackets: "Báo X, Đài Y và kênh Z (facebook, youtube)" → three fragments. */
const AND = ' và ';

export function splitFragments(clause: string): Clause[] {
  const fragments: Clause[] = [];
  let depth = 0;
  let start = 0;
  const push = (end: number) => {
    const text = clause.slice(start, end).trim();
    if (text !== '') fragments.push({ text, start, end });
  };
  for (let index = 0; index < clause.length; index += 1) {
    const char = clause[index];
    if (char === '(') depth += 1;
    else if (char === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && char === ',') {
      push(index);
      start = index + 1;
    } else if (depth === 0 && clause.startsWith(AND, index)) {
      push(index);
      start = index + AND.length;
    }
  }
  push(clause.length);
  return fragments;
}
