import type { DocumentCode, ParentPlanRef, PlanIdentity } from '../domain/plan';
import { capitalize, trimItem } from './text-match';

/** "Kế hoạch (số) 107/KH-UBND", or the header "Số: /KH-SLĐTBXH" of a plan whose number was left blank. */
const PLAN_CODE = /(Kế hoạch(?: số)?|Số)\s*:?\s*(\d*)\s*\/\s*(KH)\s*-\s*(\p{Lu}[\p{Lu}\p{M}&.]*(?:-\p{Lu}[\p{Lu}\p{M}&.]*)*)/gu;
/** Words before a plan code that make it the plan being implemented, not this one. */
const PARENT_LEAD_IN = /(?:thực hiện|căn cứ|triển khai)\s*$/iu;
const NUMERIC_DATE = /ngày\s*(\d{1,2})\s*\/\s*(\d{1,2})\s*\/\s*(\d{4})/giu;
const HEADER_DATE = /ngày\s+(\d{1,2})?\s*tháng\s+(\d{1,2})\s+năm\s+(\d{4})/iu;
const TITLE_AFTER_CODE = /^(?:\s*ngày\s*\d{1,2}\/\d{1,2}\/\d{4})?\s*về\s+([^;.]+)/u;
const ISSUER_PATTERNS: readonly RegExp[] = [
  /^([^,.;:()\n]+?)\s*\(sau đây (?:viết tắt|gọi tắt|gọi) là/mu,
  /(?:^|[,.;]\s*)([^,.;:\n]+?)\s+(?:đã\s+|vừa\s+)?ban hành\s+Kế hoạch\s+(?:số\s+)?\d/mu,
];
const NATIONAL_MOTTO = /^CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/u;
const CODE_HEADER = /^Số\s*:/u;
const PROVINCE = /tỉnh\s+(\p{Lu}\p{Ll}*(?:\s+\p{Lu}\p{Ll}*){0,2})/u;

interface CodeOccurrence {
  code: DocumentCode;
  line: string;
  /** Offset of the code's end within `line`. */
  end: number;
  /** Offset of "Kế hoạch số"/"Số" within `line`. */
  start: number;
  isHeader: boolean;
  isParent: boolean;
}

function isoDate(day: string, month: string, year: string): string | null {
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const valid = date.getUTCDate() === Number(day) && date.getUTCMonth() === Number(month) - 1;
  return valid ? date.toISOString().slice(0, 10) : null;
}

function findCodes(lines: string[]): CodeOccurrence[] {
  return lines.flatMap((line) =>
    [...line.matchAll(PLAN_CODE)].map((match) => {
      const [whole, lead = '', number = '', kind = '', issuerAbbreviation = ''] = match;
      const text = `${number}/${kind}-${issuerAbbreviation}`;
      return {
        code: { text, number: number === '' ? null : Number(number), kind, issuerAbbreviation },
        line,
        start: match.index,
        end: match.index + whole.length,
        isHeader: lead === 'Số' && match.index === 0,
        isParent: PARENT_LEAD_IN.test(line.slice(0, match.index)),
      };
    }),
  );
}

/** The numeric date written nearest to the code on its line ("ngày 15/3/2023, … ban hành Kế hoạch số 911…"). */
function dateNearCode(occurrence: CodeOccurrence): string | null {
  let best: { distance: number; date: string | null } | null = null;
  for (const match of occurrence.line.matchAll(NUMERIC_DATE)) {
    const distance = match.index >= occurrence.end ? match.index - occurrence.end : occurrence.start - match.index;
    if (best === null || distance < best.distance) {
      best = { distance, date: isoDate(match[1] ?? '', match[2] ?? '', match[3] ?? '') };
    }
  }
  return best?.date ?? null;
}

/** A formal header date ("Bình Phước, ngày tháng 5 năm 2024"): null when the day is left blank. */
function headerDate(text: string): string | null {
  const match = HEADER_DATE.exec(text);
  return match?.[1] === undefined ? null : isoDate(match[1], match[2] ?? '', match[3] ?? '');
}

/** The subject line under a formal "KẾ HOẠCH" heading, or the "về …" after the code in an article. */
function findTitle(lines: string[], own: CodeOccurrence | null): string | null {
  const heading = lines.findIndex((line) => /^KẾ HOẠCH$/u.test(line));
  const underHeading = heading === -1 ? undefined : lines[heading + 1];
  if (underHeading !== undefined) return trimItem(underHeading);
  const afterCode = own ? TITLE_AFTER_CODE.exec(own.line.slice(own.end))?.[1] : undefined;
  return afterCode === undefined ? null : capitalize(trimItem(afterCode));
}

/** The upper-case lines above "Số:" in a formal plan ("ỦY BAN NHÂN DÂN" / "TỈNH ĐỒNG NAI"), as written. */
function headerIssuer(lines: string[]): string | null {
  const codeLine = lines.findIndex((line) => CODE_HEADER.test(line));
  const header = lines
    .slice(0, Math.max(codeLine, 0))
    .filter((line) => /\p{Lu}/u.test(line) && line === line.toLocaleUpperCase('vi') && !NATIONAL_MOTTO.test(line));
  return header.length === 0 ? null : header.join(' ');
}

function findIssuer(lines: string[], text: string): string | null {
  const header = headerIssuer(lines);
  if (header !== null) return header;
  for (const pattern of ISSUER_PATTERNS) {
    const issuer = pattern.exec(text)?.[1]?.trim();
    if (issuer === undefined) continue;
    // "UBND tỉnh ban hành … trên địa bàn tỉnh Bình Phước": the province is stated, only further along.
    const province = /tỉnh$/u.test(issuer) ? PROVINCE.exec(text)?.[1] : undefined;
    return province === undefined ? issuer : `${issuer} ${province}`;
  }
  return null;
}

function findParent(occurrences: CodeOccurrence[]): ParentPlanRef | null {
  const parent = occurrences.find((occurrence) => occurrence.isParent);
  if (!parent) return null;
  return {
    code: parent.code,
    issueDate: dateNearCode(parent),
    wording: trimItem(parent.line.slice(parent.start)),
  };
}

function findYear(title: string | null, issueDate: string | null): number | null {
  const stated = title === null ? undefined : /năm\s+(\d{4})/u.exec(title)?.[1];
  if (stated !== undefined) return Number(stated);
  return issueDate === null ? null : Number(issueDate.slice(0, 4));
}

export function parseIdentity(text: string): PlanIdentity {
  const lines = text.split('\n');
  const occurrences = findCodes(lines);
  const own = occurrences.find((occurrence) => occurrence.isHeader) ?? occurrences.find((occurrence) => !occurrence.isParent) ?? null;
  const issueDate = own === null ? null : own.isHeader ? headerDate(text) : dateNearCode(own);
  const title = findTitle(lines, own);
  return {
    code: own?.code ?? null,
    issuer: findIssuer(lines, text),
    issueDate,
    year: findYear(title, issueDate),
    title,
    parentPlan: findParent(occurrences),
  };
}
