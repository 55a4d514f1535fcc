/**
 * Splits a cleaned plan into its parts. Formal plans number their headings ("II. NỘI DUNG…", "2. Hình thức");
 * news articles about a plan use run-in labels ("Hình thức tuyên truyền: …"). Both are read from one table.
 */

export type SectionName =
  'preamble' | 'goals' | 'content' | 'forms' | 'activities' | 'funding' | 'organisation' | 'closing' | 'recipients';

export type Sections = Record<SectionName, string[]>;

/** Heading words after a number ("1. Mục đích", "III. KINH PHÍ THỰC HIỆN"). */
const NUMBERED_HEADINGS: readonly [pattern: RegExp, section: SectionName][] = [
  [/^(?:mục đích|mục tiêu|yêu cầu)/iu, 'goals'],
  [/^nội dung/iu, 'content'],
  [/^hình thức/iu, 'forms'],
  [/^(?:hoạt động|nhiệm vụ) trọng tâm/iu, 'activities'],
  [/^kinh phí/iu, 'funding'],
  [/^tổ chức thực hiện/iu, 'organisation'],
];
const NUMBERED_HEADING = /^(?:[IVXLC]+|\d+)\.\s+(.{1,80})$/u;

interface RunInRule {
  pattern: RegExp;
  section: SectionName;
  /** What of the line belongs to the section: the whole line, the captured rest, or nothing. */
  keep: 'line' | 'rest' | 'none';
}

const RUN_IN_RULES: readonly RunInRule[] = [
  { pattern: /^(?:nội dung)[^:]{0,40}:\s*(.*)$/iu, section: 'content', keep: 'rest' },
  { pattern: /^(?:hình thức)[^:]{0,40}:\s*(.*)$/iu, section: 'forms', keep: 'rest' },
  { pattern: /^nơi nhận:?\s*(.*)$/iu, section: 'recipients', keep: 'rest' },
  { pattern: /^(?:mục đích|mục tiêu) (?:chung|cụ thể)/iu, section: 'goals', keep: 'line' },
  { pattern: /yêu cầu:$/iu, section: 'goals', keep: 'none' },
  // "…đề ra 08 nội dung thông tin, tuyên truyền cụ thể (như: a; b; c) và …": the list in brackets is the content.
  { pattern: /nội dung[^()]*\((?:như|gồm)\s*:\s*([^)]*)\)/iu, section: 'content', keep: 'rest' },
  { pattern: /^(?:UBND|Ủy ban nhân dân|Chủ tịch UBND)[^.]{0,40}?\sgiao\s/iu, section: 'organisation', keep: 'line' },
  { pattern: /^trên đây là/iu, section: 'closing', keep: 'line' },
];

interface SectionStart {
  section: SectionName;
  kept: string | null;
}

function numberedHeading(line: string): SectionStart | null {
  const title = NUMBERED_HEADING.exec(line)?.[1];
  if (title === undefined) return null;
  const found = NUMBERED_HEADINGS.find(([pattern]) => pattern.test(title));
  return found ? { section: found[1], kept: null } : null;
}

function runInHeading(line: string): SectionStart | null {
  for (const rule of RUN_IN_RULES) {
    const match = rule.pattern.exec(line);
    if (!match) continue;
    const kept = rule.keep === 'line' ? line : rule.keep === 'rest' ? (match[1] ?? '').trim() : '';
    return { section: rule.section, kept: kept === '' ? null : kept };
  }
  return null;
}

export function splitSections(text: string): Sections {
  const sections: Sections = {
    preamble: [],
    goals: [],
    content: [],
    forms: [],
    activities: [],
    funding: [],
    organisation: [],
    closing: [],
    recipients: [],
  };
  let current: SectionName = 'preamble';
  for (const line of text.split('\n')) {
    const start = numberedHeading(line) ?? runInHeading(line);
    if (start) {
      current = start.section;
      if (start.kept !== null) sections[current].push(start.kept);
    } else {
      sections[current].push(line);
    }
  }
  return sections;
}
