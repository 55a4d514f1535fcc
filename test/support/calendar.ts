import { PLATFORMS } from '../../channels';
import type { StructuredPlan } from '../../src/domain/plan';
import { type CalendarOptions, proposeCalendar as propose } from '../../src/importer';

/** The proposed calendar with the installation's platforms (their words and publishing times), as Loa's callers give them. */
export function proposeCalendar(plan: StructuredPlan, options: Omit<CalendarOptions, 'platforms'>) {
  return propose(plan, { ...options, platforms: PLATFORMS });
}
