import { createHash } from 'node:crypto';
import type { StructuredPlan } from '../domain/plan';
import { cleanText } from './clean-text';
import { extractTextFromBuffer, extractTextFromFile, type NamedBuffer } from './extract-text';
import { parseCleanText } from './parse-plan';

export { ImportError, type ImportErrorReason } from './import-error';
export { MAX_FILE_BYTES, extractTextFromBuffer, extractTextFromFile, type NamedBuffer } from './extract-text';
export { cleanText } from './clean-text';
export { parseTiming, type TimingContext } from './timing';
export { proposeCalendar, type CalendarOptions, type ProposedCalendar, type DraftContentItem, type PublicationSlot } from './calendar';
export { diffPlans, type PlanChange } from './diff';

export interface ImportedPlan {
  plan: StructuredPlan;
  /** The cleaned text the plan was read from. */
  text: string;
  /** sha256 (hex) of `text`: the same document imported again has the same hash. */
  sourceHash: string;
}

function imported(raw: string): ImportedPlan {
  const text = cleanText(raw);
  return { plan: parseCleanText(text), text, sourceHash: createHash('sha256').update(text, 'utf8').digest('hex') };
}

/** Parses a plan's text as published (copied from a portal, extracted from a file). Throws `ImportError`. */
export function parsePlanText(text: string): StructuredPlan {
  return imported(text).plan;
}

/** Imports a .txt, .docx or .pdf plan. Throws `ImportError` with a Vietnamese message and a `reason`. */
export async function importPlanFile(path: string): Promise<ImportedPlan> {
  return imported(await extractTextFromFile(path));
}

/** Same as `importPlanFile` for an upload held in memory. */
export async function importPlanBuffer(input: NamedBuffer): Promise<ImportedPlan> {
  return imported(await extractTextFromBuffer(input));
}
