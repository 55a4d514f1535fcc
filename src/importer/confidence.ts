import type { StructuredPlan } from '../domain/plan';
import { citationSpans, insideAny } from './citations';
import { findDocumentCodes } from './document-codes';
import type { Sections } from './sections';
import { splitSentences } from './sentences';
import { trimItem } from './text-match';

/**
 * What an officer should check after an import: the fields the importer left empty (it never guesses them) and the
 * sentences it could not place in any part of the plan.
 */
export const REPORT_FIELDS = {
  code: 'Số, ký hiệu',
  issuer: 'Cơ quan ban hành',
  issueDate: 'Ngày ban hành',
  yearOrPeriod: 'Năm hoặc giai đoạn',
  title: 'Trích yếu',
  contentAreas: 'Nội dung tuyên truyền',
  channels: 'Hình thức, kênh',
  activities: 'Hoạt động trọng tâm',
  reporting: 'Chế độ báo cáo',
  units: 'Đơn vị thực hiện',
} as const;
export type ReportField = keyof typeof REPORT_FIELDS;

export interface ImportReport {
  emptyFields: ReportField[];
  /** Sentences left unclassified, and content or forms kept only as "khác", in the plan's words. */
  unplaced: string[];
}

/** The national motto and the place-and-date line of a header: read by the identity reader or furniture. */
const HEADER_LINE =
  /^(?:Độc lập\s*-\s*Tự do\s*-\s*Hạnh phúc|[\p{L} .–-]{2,40},\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})/iu;

/** A preamble line the identity reader used (header, code, date, title), page furniture, a line of a citation
 * ("Căn cứ …" wrapped over several lines), or one an activity or a channel was read from. */
function isAccountedFor(line: string, plan: StructuredPlan, read: string[]): boolean {
  const words = line.split(/\s+/u).length;
  if (words < 8 || /\||-{3,}/u.test(line) || line === line.toLocaleUpperCase('vi') || HEADER_LINE.test(line))
    return true;
  if (findDocumentCodes(line).length > 0) return true;
  const title = plan.identity.title;
  if (title !== null && line.includes(title)) return true;
  const lower = line.toLocaleLowerCase('vi');
  return read.some((wording) => lower.includes(wording));
}

/** Preamble lines inside a citation's sentences (a cited document's name wrapped onto its own line). */
function citationLines(preamble: string[]): Set<number> {
  const text = preamble.join('\n');
  const spans = citationSpans(splitSentences(text));
  const inside = new Set<number>();
  let start = 0;
  preamble.forEach((line, index) => {
    const at = start + (line.length - line.trimStart().length);
    // "Theo đó, …" ("accordingly") opens what the plan says, not a citation.
    if (line.trim() !== '' && !/^\s*theo đó/iu.test(line) && insideAny(spans, at)) inside.add(index);
    start += line.length + 1;
  });
  return inside;
}

export function confidenceReport(plan: StructuredPlan, sections: Sections): ImportReport {
  const { identity } = plan;
  const empty: Record<ReportField, boolean> = {
    code: identity.code === null,
    issuer: identity.issuer === null,
    issueDate: identity.issueDate === null,
    yearOrPeriod: identity.year === null && identity.period === null,
    title: identity.title === null,
    contentAreas: plan.contentAreas.length === 0,
    channels: plan.channels.length === 0,
    activities: plan.activities.length === 0,
    reporting: plan.reporting.length === 0,
    units: plan.units.length === 0,
  };
  const citations = citationLines(sections.preamble);
  const read = [
    ...plan.activities.map((activity) => activity.title),
    ...plan.channels.map((channel) => channel.wording),
  ]
    .map((wording) => wording.toLocaleLowerCase('vi'))
    .filter((wording) => wording.split(/\s+/u).length >= 3);
  const unplaced = [
    ...sections.preamble
      .filter((line, index) => !citations.has(index) && !isAccountedFor(line, plan, read))
      .map(trimItem),
    ...plan.contentAreas.filter((area) => area.key === 'khac').map((area) => area.wording),
    ...plan.channels.filter((channel) => channel.offlineForm === 'khac').map((channel) => channel.wording),
  ];
  return {
    emptyFields: (Object.keys(empty) as ReportField[]).filter((field) => empty[field]),
    unplaced: [...new Set(unplaced)],
  };
}
