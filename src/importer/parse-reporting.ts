import type { ReportingDuty } from '../domain/plan';
import { splitClauses } from './clauses';
import { trimItem } from './text-match';
import type { UnitRegistry } from './units';

/** The verb "báo cáo" in lower case; "Báo cáo …" with a capital is the name of a report. */
const REPORT_VERB = /(?<![\p{L}\p{M}])báo cáo\s+/u;
const SUBJECT = /^(.+?)(?=\s+lồng ghép|\s*\(|\s+gửi\s|\s+về\s|$)/u;
const RECIPIENT =
  /(?:gửi|về)\s+((?:Sở|Văn phòng|UBND|Ủy ban|Ban|Bộ|Phòng|Thường trực)[^,;.()]*?)(?=\s+(?:đúng|trước|theo|định kỳ|để|chậm nhất)(?![\p{L}])|[,;.()]|$)/u;
const FREQUENCY = /định kỳ|hằng tháng|hàng tháng|hằng quý|hàng quý|6 tháng|hằng năm|hàng năm/u;
/** Who reports: "Giao X tham mưu …" or "X tổ chức thực hiện …" at the start of the item. */
const REPORTER = [
  /^(?:\d+\.\s*)?giao\s+(.+?)\s+(?:tham mưu|chủ trì|thực hiện|phối hợp|tổ chức)/iu,
  /^(?:\d+\.\s*)?(.+?)\s+(?:tổ chức thực hiện|chủ trì|tham mưu|có trách nhiệm|thực hiện)/iu,
];

function reporterOf(item: string): string | null {
  for (const pattern of REPORTER) {
    const found = pattern.exec(item)?.[1];
    if (found !== undefined) return found;
  }
  return null;
}

/** Reporting duties stated in the implementation part: what, by whom, to whom, how often. */
export function parseReporting(lines: string[], units: UnitRegistry): ReportingDuty[] {
  return lines.flatMap((item) =>
    splitClauses(item).flatMap((clause) => {
      const verb = REPORT_VERB.exec(clause.text);
      if (!verb) return [];
      const duty = clause.text.slice(verb.index);
      const object = duty.slice(verb[0].length);
      const reporter = reporterOf(item);
      const recipient = RECIPIENT.exec(object)?.[1];
      return [
        {
          subject: trimItem(SUBJECT.exec(object)?.[1] ?? object),
          fromUnitKeys: reporter === null ? [] : units.addList(reporter),
          toUnitKey: recipient === undefined ? null : units.add(recipient.trim()),
          frequency: FREQUENCY.exec(object)?.[0] ?? null,
          wording: trimItem(duty),
        },
      ];
    }),
  );
}
