import type { Kysely } from 'kysely';

import type { DialectName } from '../connection';
import { createReportTriggers, dropReportTriggers } from './0011-report-rollup';

/**
 * The rollup's triggers again, as 0011 now writes them: a publication that goes out adds itself to its channel-day's
 * 5 latest instead of recomputing them from the whole day (the same rows, measured in test/report/rollup.test.ts;
 * a settle on the portal's busy day read hundreds of rows). The tables and their contents do not change.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await dropReportTriggers(db, dialect);
  await createReportTriggers(db, dialect);
}
