import { createAdapters, publishingTimes } from '../../channels';
import { readConfig } from '../../src/config';
import type { StructuredPlan } from '../../src/domain/plan';
import { type CalendarOptions, proposeCalendar as propose } from '../../src/importer';

const TIMES = publishingTimes(createAdapters(readConfig({})));

/** The proposed calendar with the publishing times the installation's adapters declare, as Loa's callers give them. */
export function proposeCalendar(plan: StructuredPlan, options: Omit<CalendarOptions, 'publishingTimes'>) {
  return propose(plan, { ...options, publishingTimes: TIMES });
}
