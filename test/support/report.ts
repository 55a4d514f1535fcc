import { PLATFORMS } from '../../channels';
import { buildReport as build, type ReportOptions } from '../../src/report/build';
import type { Db } from '../../src/store';

/** The period report with the installation's platforms (their names and a plan's words), as Loa's callers build it. */
export function buildReport(db: Db, options: Omit<ReportOptions, 'platforms'>) {
  return build(db, { ...options, platforms: PLATFORMS });
}
