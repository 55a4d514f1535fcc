import type { StructuredPlan } from '../domain/plan';
import { findDocumentCodes } from './document-codes';
import type { Sections } from './sections';
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

/** A preamble line the identity reader used (header, code, date, title) or page furniture. */
function isAccountedFor(line: string, plan: StructuredPlan): boolean {
  const words = line.split(/\s+/u).length;
  if (words < 8 || /\||-{3,}/u.test(line) || line === line.toLocaleUpperCase('vi')) return true;
  if (findDocumentCodes(line).length > 0) return true;
  const title = plan.identity.title;
  return title !== null && line.includes(title);
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
  const unplaced = [
    ...sections.preamble.filter((line) => !isAccountedFor(line, plan)).map(trimItem),
    ...plan.contentAreas.filter((area) => area.key === 'khac').map((area) => area.wording),
    ...plan.channels.filter((channel) => channel.offlineForm === 'khac').map((channel) => channel.wording),
  ];
  return { emptyFields: (Object.keys(empty) as ReportField[]).filter((field) => empty[field]), unplaced: [...new Set(unplaced)] };
}
