import type { CitedDocument } from '../domain/plan';
import { codeDate } from './dates';
import { type CodeOccurrence, findDocumentCodes } from './document-codes';
import type { Sentence } from './sentences';
import { trimItem } from './text-match';

/**
 * Documents a plan cites. A sentence opening with "Căn cứ", "Thực hiện", "Theo đề nghị", "Xét đề nghị" or "Bám sát"
 * names the documents the plan rests on; its list runs on over the sentences its semicolons join, up to the clause
 * where the issuer speaks ("UBND … ban hành Kế hoạch …"). A section headed "CĂN CỨ …" is all citations. No code cited
 * there is ever the plan's own.
 */
const LEAD_IN = /^(?:[-+•–]\s*)?(?:căn cứ|thực hiện|triển khai thực hiện|theo đề nghị|xét đề nghị|bám sát|theo)\s/iu;
/** The issuer's own clause: "… ban hành/xây dựng Kế hoạch …" with no document code before it in its sentence (a
 * cited "Nghị quyết số 117/NQ-CP … ban hành Kế hoạch …" stays a citation). */
const ISSUING_CLAUSE = /\s(?:đã\s+|vừa\s+)?(?:(?:ban hành|xây dựng)\s+(?:Kế|kế)\s*hoạch|thực hiện nhiệm vụ như sau)/u;
const CITATION_HEADING = /^(?:[IVXLC]+|\d+)\.\s+căn cứ/iu;
const HEADING = /^(?:[IVXLC]+|\d+)\.\s/u;

export interface Span {
  start: number;
  end: number;
}

export function citationSpans(sentences: Sentence[]): Span[] {
  const spans: Span[] = [];
  let open = false;
  let underCitationHeading = false;
  for (const sentence of sentences) {
    if (HEADING.test(sentence.text)) underCitationHeading = CITATION_HEADING.test(sentence.text);
    const issuing = isIssuingClause(sentence.text) && !LEAD_IN.test(sentence.text);
    if (LEAD_IN.test(sentence.text) || underCitationHeading) open = true;
    else if (issuing) open = false;
    if (open) {
      // "Thực hiện Kế hoạch … của Ủy ban nhân dân huyện, UBND thị trấn … xây dựng kế hoạch …": the citation stops
      // where the issuer's clause starts.
      // The same in the last item of a "Thực hiện …; …" list: "…; Công văn số 6612/… ngày …, Sở Văn hóa, Thể thao và
      // Du lịch đã ban hành Kế hoạch …".
      const cut = issuingClauseStart(sentence.text);
      spans.push({ start: sentence.start, end: cut === -1 ? sentence.end : sentence.start + cut });
    }
    if (sentence.terminator !== ';' && !underCitationHeading) open = false;
  }
  return spans;
}

function isIssuingClause(text: string): boolean {
  const match = ISSUING_CLAUSE.exec(text);
  return match !== null && findDocumentCodes(text.slice(0, match.index)).length === 0;
}

/** Where, inside a citation sentence, a body starts speaking: ", UBND tỉnh … ban hành Kế hoạch …". */
function issuingClauseStart(text: string): number {
  const match =
    /[,;]\s*((?:UBND|Ủy ban nhân dân|Sở|Bộ|Ban|Phòng|Trung tâm)[^,;]*?\s(?:ban hành|xây dựng)\s)/iu.exec(text) ??
    // A department's name holds commas of its own: "Sở Văn hóa, Thể thao và Du lịch đã ban hành …".
    /[,;]\s*((?:Sở|Bộ)\s+\p{Lu}[^.;:\n()]{0,60}?\s(?:đã|vừa)\s+ban hành\s)/u.exec(text);
  return match ? match.index : -1;
}

export const insideAny = (spans: Span[], at: number) => spans.some((span) => at >= span.start && at < span.end);

export function citedDocuments(text: string, spans: Span[]): CitedDocument[] {
  const seen = new Set<string>();
  return findDocumentCodes(text)
    .filter((occurrence) => insideAny(spans, occurrence.start))
    .filter((occurrence) => (seen.has(occurrence.code.text) ? false : (seen.add(occurrence.code.text), true)))
    .map((occurrence) => ({
      code: occurrence.code,
      issueDate: codeDate(text, occurrence),
      wording: citationWording(text, occurrence, spans),
    }));
}

/** From the document's name to the end of its entry: "Kế hoạch số 96/KH-UBND ngày 19/3/2024 của UBND tỉnh về …". */
function citationWording(text: string, occurrence: CodeOccurrence, spans: Span[]): string {
  const span = spans.find((candidate) => occurrence.start >= candidate.start && occurrence.start < candidate.end);
  const from = span ? span.start : occurrence.start;
  const before = text.slice(from, occurrence.start);
  const name =
    /(?:Kế hoạch|Quyết định|Nghị quyết|Nghị định|Chỉ thị|Chương trình(?: hành động)?|Công văn|Thông tư|Tờ\s+trình|Kết luận|Thông báo|Phương án|Báo cáo(?: thẩm định)?)(?:\s+số)?\s*:?\s*$/iu.exec(
      before,
    );
  const start = name ? from + name.index : occurrence.start;
  const rest = text.slice(occurrence.end, span ? span.end : occurrence.end);
  const untilNext = rest.search(/;|\s+và\s+(?=(?:Kế hoạch|Quyết định|Công văn|Chỉ thị|Nghị quyết|Báo cáo)\s)/u);
  const end = occurrence.end + (untilNext === -1 ? rest.length : untilNext);
  return trimItem(text.slice(start, end).replace(/\s*\n\s*/gu, ' '));
}
