import type { DocumentCode, ParentPlanRef, PlanIdentity, PlanPeriod } from '../domain/plan';
import { citationSpans, citedDocuments, insideAny, type Span } from './citations';
import { codeDate, headerDate, isoDate, NUMERIC_DATE, type PostedAt, WORDED_DATE, YEARLESS_DATE } from './dates';
import { type CodeOccurrence, findDocumentCodes, isDecisionKind, isPlanKind } from './document-codes';
import { findIssuer } from './plan-issuer';
import { type Sentence, splitSentences } from './sentences';
import { capitalize, trimItem } from './text-match';

/**
 * Who issued the plan, when, under which code, for which year or period, and what it cites. Reads the formal header
 * ("Số: 107/KH-UBND", "…, ngày … tháng … năm …"), a decision that carries the plan ("QUYẾT ĐỊNH … Điều 1. Ban hành
 * Kế hoạch …"), or the sentence of a news item that reports it ("Ngày 19/02, UBND huyện … ban hành Kế hoạch số …").
 * Codes in "Căn cứ …" / "Thực hiện …" sentences are cited documents, never the plan's own.
 */

const HEADER_CODE = /(?:^|\s)Số\s*:\s*$/u;
/** The decision issues a plan: "Điều 1. Ban hành (kèm theo Quyết định này) Kế hoạch …" or its subject line. */
const DECISION_ISSUES_PLAN =
  /Điều\s+1\.\s*Ban hành\s+(?:kèm theo Quyết định này\s+)?Kế hoạch|^(?:VỀ VIỆC\s+)?BAN HÀNH\s+KẾ HOẠCH/mu;
/** "Kế hoạch (số)", "ký/ban hành Quyết định (số)": the words that make a code the plan's own in running text. */
const OWN_CODE_LEAD = /(?:Kế\s*hoạch|Quyết định)(?:\s+số)?\s*:?\s*$/iu;
/** "tại Kế hoạch số …", "theo Quyết định số …" in the middle of a sentence: another document, referred to. */
const REFERRED_PLAN = /\s(?:tại|theo)\s+(?:các\s+)?(?:Kế\s*hoạch|Quyết định)(?:\s+số)?\s*:?\s*$/iu;
const PLAN_HEADING = /^KẾ HOẠCH$/u;
const DECISION_SUBJECT = /^(?:VỀ VIỆC\s+)?BAN HÀNH\s+KẾ HOẠCH\s+(.+)$/u;
const TITLE_AFTER_OWN_CODE =
  /^(?:\s*(?:ngày\s*\d{1,2}\s*\/\s*\d{1,2}(?:\s*\/\s*\d{4})?))?(?:\s+của\s+[^,;.]+?)?\s*(?:về\s+(?:Kế hoạch\s+)?|ban hành\s+Kế hoạch\s+|Kế hoạch\s+)([^;.\n]+)/u;
/** "UBND tỉnh vừa ban hành kế hoạch về hoạt động … năm" / "2026.": a line the page wrapped inside the title goes on
 * when the next one starts in lower case or with a number; "hướng dẫn xây dựng Kế hoạch …" is guidance, not issuing. */
const ISSUING_WITHOUT_CODE =
  /(?<!hướng dẫn\s)(?:ban hành|xây dựng)\s+(?:Kế|kế)\s*hoạch\s+(?!số\s)(?:về\s+)?([^;:]+?)(?:,?\s+(?:như sau|cụ thể)|\s*\(sau đây|[;:.]|$(?!\n[\p{Ll}\d]))/mu;
const TITLE_END = /\s+(?:với mục tiêu|nhằm|với những nội dung|như sau).*$|\s*\(sau đây.*$/u;
const PERIOD = /(?:giai đoạn\s*)?(\d{4})\s*[-–]\s*(\d{4})/iu;
/** "Kế hoạch phấn đấu giai đoạn 2026-2030, …": a sentence whose subject is the plan itself. */
const PLAN_PERIOD_SENTENCE = /^Kế hoạch\s+(?!số)[^.;]*?giai đoạn\s*(\d{4})\s*[-–]\s*(\d{4})/u;
const YEAR_IN_WORDS = /năm\s+(\d{4})/iu;
/** Words that continue a subject line on the next line. */
const TITLE_CONTINUATION = /^(?:của|về|đến|trên|tại|theo|cho|và|giai đoạn|năm|định hướng|tầm nhìn)\s/iu;
/** "… Đến năm 2025, định hướng đến năm 2030": the title names the year the plan runs to, not the one it is for. */
const YEAR_RUN_TO = /đến\s+năm\s+(\d{4})/iu;

interface OwnCode {
  occurrence: CodeOccurrence;
  isHeader: boolean;
}

/** A line typeset in capitals; a line of digits alone continues one ("… NĂM" / "2022"). */
function isUpperLine(line: string): boolean {
  return /[\p{L}\p{N}]/u.test(line) && line === line.toLocaleUpperCase('vi');
}

function findOwnCode(
  text: string,
  codes: CodeOccurrence[],
  cited: Span[],
  issuesPlanByDecision: boolean,
): OwnCode | null {
  const free = codes.filter((occurrence) => !insideAny(cited, occurrence.start));
  const acceptable = (code: DocumentCode) => isPlanKind(code) || (isDecisionKind(code) && issuesPlanByDecision);
  const header = free.find(
    (occurrence) =>
      HEADER_CODE.test(text.slice(Math.max(0, occurrence.start - 8), occurrence.start)) && occurrence.start < 1500,
  );
  if (header && acceptable(header.code)) return { occurrence: header, isHeader: true };
  const stated = free.find((occurrence) => {
    const before = text.slice(Math.max(0, occurrence.start - 20), occurrence.start);
    if (!OWN_CODE_LEAD.test(before)) return false;
    // "… đã được phân công tại Kế hoạch số 358/KH-UBND …": a plan the text refers to, never the one it reports.
    if (REFERRED_PLAN.test(text.slice(Math.max(0, occurrence.start - 32), occurrence.start))) return false;
    if (isPlanKind(occurrence.code)) return true;
    // "ký Quyết định số 157/QĐ-TTg ban hành Kế hoạch …": a decision that carries the plan.
    return (
      isDecisionKind(occurrence.code) &&
      // "… Quyết định số 119/QĐ-UBND về (kế) hoạch cải cách hành chính": the page's own typo is read too.
      /^\s*(?:ngày[^,]*?)?\s*(?:về việc\s+)?(?:ban hành\s+Kế hoạch|về\s+(?:kế\s+)?hoạch\s)/iu.test(
        text.slice(occurrence.end, occurrence.end + 60),
      )
    );
  });
  return stated ? { occurrence: stated, isHeader: false } : null;
}

/** The date of the plan's own code in a sentence: right after the code, or the sentence's own "Ngày 17/02/2025, …". */
function dateOfStatedCode(
  text: string,
  own: CodeOccurrence,
  sentence: Sentence | undefined,
  codes: CodeOccurrence[],
  year: number | null,
  onlyYear: number | null,
  posted: PostedAt | null,
): string | null {
  const after = codeDate(text, own);
  if (after !== null || sentence === undefined) return after;
  const boundToOther = (index: number) =>
    codes.some((code) => code !== own && index > code.end && index - code.end < 6);
  for (const pattern of [NUMERIC_DATE, WORDED_DATE]) {
    for (const match of sentence.text.matchAll(pattern)) {
      if (!boundToOther(sentence.start + match.index)) return isoDate(match[1] ?? '', match[2] ?? '', match[3] ?? '');
    }
  }
  // A year-less "Ngày 19/02" takes the plan's year only when the document names no other year.
  const yearless = [...sentence.text.matchAll(YEARLESS_DATE)].find(
    (match) => !boundToOther(sentence.start + match.index),
  );
  if (!yearless) return null;
  const [day, month] = [Number(yearless[1]), Number(yearless[2])];
  // A news item is posted after the plan it reports: "Ngày 30/12" on a page posted 05/01/2026 is 30/12/2025.
  if (posted !== null) {
    const sameYear = month < posted.month || (month === posted.month && day <= posted.day);
    return isoDate(day, month, sameYear ? posted.year : posted.year - 1);
  }
  if (year !== null && onlyYear === year) return isoDate(day, month, year);
  return null;
}

/** The year a plan is for when its title names none: one issued in November or December whose own text names the
 * next year ("Ngày 30/12/2025 … kế hoạch … năm 2026") is for that year, not the year it was signed in. */
function yearAfterIssue(issueDate: string | null, text: string, cited: Span[]): number | null {
  if (issueDate === null || Number(issueDate.slice(5, 7)) < 11) return null;
  const next = Number(issueDate.slice(0, 4)) + 1;
  for (const match of text.matchAll(/năm\s+(\d{4})/giu)) {
    if (Number(match[1]) === next && !insideAny(cited, match.index)) return next;
  }
  return null;
}

function headingTitle(lines: string[]): string | null {
  const heading = lines.findIndex((line) => PLAN_HEADING.test(line));
  if (heading !== -1) {
    const first = lines[heading + 1];
    if (first === undefined) return null;
    const parts = [first];
    if (isUpperLine(first)) {
      for (const line of lines.slice(heading + 2)) {
        if (!isUpperLine(line) || /^(?:[IVXLC]+\.|\(|CĂN CỨ|THỰC HIỆN)/u.test(line)) break;
        parts.push(line);
      }
    } else {
      // A subject line in ordinary case wrapped by the page: "Triển khai … ngày 06/9/2023" / "Của Ban Thường vụ …" /
      // "Đến năm 2025, …": a line that opens with a word joining it to the one above goes on.
      for (const line of lines.slice(heading + 2)) {
        if (!TITLE_CONTINUATION.test(line)) break;
        parts.push(line);
      }
    }
    return trimItem(parts.join(' '));
  }
  const subject = lines.findIndex((line) => DECISION_SUBJECT.test(line));
  if (subject === -1) return null;
  const parts = [DECISION_SUBJECT.exec(lines[subject] ?? '')?.[1] ?? ''];
  for (const line of lines.slice(subject + 1)) {
    if (!isUpperLine(line) || /^(?:CHỦ TỊCH|BỘ TRƯỞNG|GIÁM ĐỐC|THỦ TRƯỞNG|TỔNG GIÁM ĐỐC)\s/u.test(line)) break;
    parts.push(line);
  }
  return trimItem(parts.join(' '));
}

function proseTitle(text: string, own: OwnCode | null, cited: Span[]): string | null {
  const afterCode = own && !own.isHeader ? TITLE_AFTER_OWN_CODE.exec(text.slice(own.occurrence.end))?.[1] : undefined;
  const stated = afterCode ?? (own ? undefined : issuingWithoutCode(text, cited));
  if (stated === undefined) return null;
  const title = trimItem(stated.replace(/\s*\n\s*/gu, ' ').replace(TITLE_END, ''));
  return title === '' ? null : capitalize(title);
}

function issuingWithoutCode(text: string, cited: Span[]): string | undefined {
  const pattern = new RegExp(ISSUING_WITHOUT_CODE.source, 'gmu');
  for (const match of text.matchAll(pattern)) {
    if (!insideAny(cited, match.index)) return match[1];
  }
  return undefined;
}

function findPeriod(title: string | null, sentences: Sentence[], cited: Span[]): PlanPeriod | null {
  const inTitle = title === null ? null : PERIOD.exec(title);
  if (inTitle) return { from: Number(inTitle[1]), to: Number(inTitle[2]) };
  for (const sentence of sentences) {
    const match = PLAN_PERIOD_SENTENCE.exec(sentence.text);
    if (match && !insideAny(cited, sentence.start + match.index))
      return { from: Number(match[1]), to: Number(match[2]) };
  }
  return null;
}

/** The one year named outside the citations, or null when there are none or several. */
function onlyYearNamed(text: string, cited: Span[]): number | null {
  const years = new Set<number>();
  for (const match of text.matchAll(/(?<!\d)(?:19|20)\d{2}(?!\d)/gu)) {
    if (!insideAny(cited, match.index)) years.add(Number(match[0]));
  }
  return years.size === 1 ? ([...years][0] ?? null) : null;
}

/** A document the plan's subject line says it carries out ("Kế hoạch … thực hiện Nghị quyết số 71-NQ/TW ngày
 * 22/8/2025 của Bộ Chính trị …") is cited by the plan, never its own code. */
function implementedInTitle(title: string | null, own: DocumentCode | null): ParentPlanRef[] {
  if (title === null) return [];
  return findDocumentCodes(title)
    .filter((occurrence) => occurrence.code.text !== own?.text)
    .map((occurrence) => {
      const name =
        /(?:Kế hoạch|Quyết định|Nghị quyết|Nghị định|Chỉ thị|Chương trình|Kết luận|Công văn|Thông tư)(?:\s+số)?\s*$/iu.exec(
          title.slice(0, occurrence.start),
        );
      return {
        code: occurrence.code,
        issueDate: codeDate(title, occurrence),
        wording: title.slice(name ? name.index : occurrence.start),
      };
    });
}

function findParent(cited: ParentPlanRef[]): ParentPlanRef | null {
  return cited.find((document) => isPlanKind(document.code)) ?? null;
}

/** A heading broken inside a word group by the page's layout ("BAN" / "HÀNH KẾ HOẠCH …") is one line again. */
function joinSplitHeadings(lines: string[]): string[] {
  const joined: string[] = [];
  for (const line of lines) {
    const last = joined.length - 1;
    if (last >= 0 && /^(?:VỀ VIỆC\s+)?BAN$/u.test(joined[last] ?? '') && /^HÀNH\s/u.test(line))
      joined[last] += ` ${line}`;
    else joined.push(line);
  }
  return joined;
}

/** `posted`: when the page was posted (found in the raw text: the cleaner drops a posting line as page furniture). */
export function parseIdentity(text: string, posted: PostedAt | null = null): PlanIdentity {
  const lines = joinSplitHeadings(text.split('\n'));
  const sentences = splitSentences(text);
  const cited = citationSpans(sentences);
  const codes = findDocumentCodes(text);
  const own = findOwnCode(text, codes, cited, DECISION_ISSUES_PLAN.test(text));
  const title = headingTitle(lines) ?? proseTitle(text, own, cited);
  let period = findPeriod(title, sentences, cited);
  const runsTo = title === null ? undefined : YEAR_RUN_TO.exec(title)?.[1];
  const titleYear = title === null || runsTo !== undefined ? undefined : YEAR_IN_WORDS.exec(title)?.[1];
  const onlyYear = onlyYearNamed(text, cited);
  const statedYear = titleYear === undefined ? null : Number(titleYear);
  let issueDate: string | null = null;
  if (own?.isHeader) issueDate = headerDate(text);
  else if (own) {
    const sentence = sentences.find(
      (candidate) => own.occurrence.start >= candidate.start && own.occurrence.start < candidate.end,
    );
    issueDate = dateOfStatedCode(text, own.occurrence, sentence, codes, statedYear, onlyYear, posted);
  }
  // "… Đến năm 2025" signed in 2024: the plan runs from the year it was signed to the year its title names.
  const issueYear = issueDate === null ? (headerDate(text)?.slice(0, 4) ?? null) : issueDate.slice(0, 4);
  if (period === null && runsTo !== undefined && issueYear !== null && Number(issueYear) < Number(runsTo))
    period = { from: Number(issueYear), to: Number(runsTo) };
  const year =
    period !== null
      ? null
      : (statedYear ??
        (runsTo === undefined ? null : Number(runsTo)) ??
        yearAfterIssue(issueDate, text, cited) ??
        (issueDate === null ? onlyYear : Number(issueDate.slice(0, 4))));
  const citedDocs = [...citedDocuments(text, cited), ...implementedInTitle(title, own?.occurrence.code ?? null)];
  const seen = new Set<string>();
  return {
    code: own?.occurrence.code ?? null,
    issuer: findIssuer(lines, text),
    issueDate,
    year,
    period,
    title,
    parentPlan: findParent(citedDocs),
    citedDocuments: citedDocs.filter((document) =>
      seen.has(document.code.text) ? false : (seen.add(document.code.text), true),
    ),
  };
}
