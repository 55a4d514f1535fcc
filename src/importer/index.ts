import { createHash } from 'node:crypto';

import type { StructuredPlan } from '../domain/plan';
import type { Platforms } from '../domain/platforms';
import { cleanText } from './clean-text';
import type { ImportReport } from './confidence';
import { postedAt } from './dates';
import { extractTextFromBuffer, extractTextFromFile, type NamedBuffer } from './extract-text';
import { ImportError } from './import-error';
import { parseCleanTextWithReport } from './parse-plan';

export {
  type CalendarOptions,
  type DraftContentItem,
  planPeriodDays,
  proposeCalendar,
  type ProposedCalendar,
  type PublicationSlot,
} from './calendar';
export { calendarGaps } from './calendar-gaps';
export { cleanText } from './clean-text';
export { type ImportReport, REPORT_FIELDS, type ReportField } from './confidence';
export { diffPlans, type PlanChange } from './diff';
export { extractTextFromBuffer, extractTextFromFile, MAX_FILE_BYTES, type NamedBuffer } from './extract-text';
export { ImportError, type ImportErrorReason } from './import-error';
export { findTimingWording, parseTiming, type TimingContext } from './timing';

export interface ImportedPlan {
  plan: StructuredPlan;
  /** The cleaned text the plan was read from. */
  text: string;
  /** sha256 (hex) of `text`: the same document imported again has the same hash. */
  sourceHash: string;
  /** Fields left empty and sentences not placed: what an officer should check. */
  report: ImportReport;
}

/** A plan's longest paragraph is a few thousand characters; a line far longer is not a plan's text (and costs the parser). */
export const MAX_LINE_CHARS = 50_000;

function checkLineLengths(raw: string): void {
  let start = 0;
  for (let line = 1; start <= raw.length; line++) {
    const end = raw.indexOf('\n', start);
    const stop = end < 0 ? raw.length : end;
    if (stop - start > MAX_LINE_CHARS)
      throw new ImportError(
        'not-a-plan',
        `Dòng ${line} của văn bản dài ${(stop - start).toLocaleString('vi')} ký tự (tối đa ${MAX_LINE_CHARS.toLocaleString('vi')}): không giống lời văn một kế hoạch. Kiểm tra lại tệp (có thể mất dấu xuống dòng).`,
      );
    if (end < 0) break;
    start = end + 1;
  }
}

function imported(raw: string, platforms: Platforms): ImportedPlan {
  checkLineLengths(raw);
  try {
    const text = cleanText(raw);
    // The posting line ("Thứ hai - 05/01/2026 10:22") is furniture the cleaner drops; its date still dates a news item.
    const { plan, report } = parseCleanTextWithReport(text, platforms, postedAt(raw));
    return { plan, report, text, sourceHash: createHash('sha256').update(text, 'utf8').digest('hex') };
  } catch (error) {
    // A text that exhausts the parser's stack is a document Loa cannot read, not a server failure.
    if ((error as Error | null)?.name === 'RangeError')
      throw new ImportError(
        'unreadable',
        'Văn bản quá phức tạp để đọc (vượt giới hạn của bộ đọc); kiểm tra lại tệp.',
        'file',
        {
          cause: error,
        },
      );
    throw error;
  }
}

/**
 * Parses a plan's text as published (copied from a portal, extracted from a file). Throws `ImportError`.
 * `platforms` (the registry in channels/: `platforms`) says which words name a platform Loa publishes to.
 */
export function parsePlanText(text: string, platforms: Platforms): StructuredPlan {
  return imported(text, platforms).plan;
}

/** Like `parsePlanText`, with the confidence report. */
export function importPlanText(text: string, platforms: Platforms): ImportedPlan {
  return imported(text, platforms);
}

/** Imports a .txt, .docx or .pdf plan. Throws `ImportError` with a Vietnamese message and a `reason`. */
export async function importPlanFile(path: string, platforms: Platforms): Promise<ImportedPlan> {
  return imported(await extractTextFromFile(path), platforms);
}

/** Same as `importPlanFile` for an upload held in memory. */
export async function importPlanBuffer(input: NamedBuffer, platforms: Platforms): Promise<ImportedPlan> {
  return imported(await extractTextFromBuffer(input), platforms);
}
