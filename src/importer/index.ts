import { createHash } from 'node:crypto';

import type { StructuredPlan } from '../domain/plan';
import { cleanText } from './clean-text';
import type { ImportReport } from './confidence';
import { extractTextFromBuffer, extractTextFromFile, type NamedBuffer } from './extract-text';
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

function imported(raw: string): ImportedPlan {
  const text = cleanText(raw);
  const { plan, report } = parseCleanTextWithReport(text);
  return { plan, report, text, sourceHash: createHash('sha256').update(text, 'utf8').digest('hex') };
}

/** Parses a plan's text as published (copied from a portal, extracted from a file). Throws `ImportError`. */
export function parsePlanText(text: string): StructuredPlan {
  return imported(text).plan;
}

/** Like `parsePlanText`, with the confidence report. */
export function importPlanText(text: string): ImportedPlan {
  return imported(text);
}

/** Imports a .txt, .docx or .pdf plan. Throws `ImportError` with a Vietnamese message and a `reason`. */
export async function importPlanFile(path: string): Promise<ImportedPlan> {
  return imported(await extractTextFromFile(path));
}

/** Same as `importPlanFile` for an upload held in memory. */
export async function importPlanBuffer(input: NamedBuffer): Promise<ImportedPlan> {
  return imported(await extractTextFromBuffer(input));
}
