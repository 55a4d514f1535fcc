/**
 * Times the store reads behind the desk's heavy pages on a seeded province (seedDeskLoad, 10,000 items): what each
 * costs alone, one after another, so a page's CPU can be split into its queries.
 *   npx tsx test/bench/desk-queries.ts [--quick] [--only sqlite|postgres]
 *   KEEP_DB=1 …   keeps the seeded SQLite file (its path is printed) for another run, or for desk-page-profile.ts
 *   DESK_DB=<file> …   times the reads on that file instead of seeding one
 * Times are this process's CPU (the machine is shared), each read's average over 30 calls after 3 unmeasured.
 */
import { DateTime } from 'luxon';

import { LOCAL_ZONE } from '../../src/domain/time';
import { listChannels } from '../../src/store/channels';
import { countWaiting } from '../../src/store/desk-lists';
import { calendarCoverage, listCalendarDays, planDemands } from '../../src/store/desk-views';
import { countPublishLog, readPublishLog } from '../../src/store/publish-log';
import { listUnits } from '../../src/store/units';
import { DATABASE_KINDS, freshDatabase } from '../support/databases';
import { openStore } from '../support/open-store';
import { seedDeskLoad } from '../support/seed';
import { testConfig } from '../support/services';

async function time(name: string, f: () => Promise<unknown>, n = 30): Promise<void> {
  for (let i = 0; i < 3; i++) await f();
  // CPU time of this process, not wall time: the machine is shared.
  const started = process.cpuUsage();
  for (let i = 0; i < n; i++) await f();
  const used = process.cpuUsage(started);
  console.log(`${((used.user + used.system) / 1000 / n).toFixed(2).padStart(8)} ms CPU  ${name}`);
}

async function main() {
  const quick = process.argv.includes('--quick');
  const only = process.argv[process.argv.indexOf('--only') + 1];
  for (const kind of DATABASE_KINDS.filter((k) => !process.argv.includes('--only') || k === only)) {
    // DESK_DB=<sqlite file> reuses a database seeded by an earlier run (KEEP_DB=1 keeps it): the same data for two
    // versions of the code.
    const reused = kind === 'sqlite' ? process.env.DESK_DB : undefined;
    const database = reused ? { url: reused, drop: undefined } : await freshDatabase(kind);
    const config = testConfig(database.url);
    const db = await openStore(database.url, { defaultUnit: config.defaultUnit });
    const home = (await db.kysely.selectFrom('units').select('id').executeTakeFirstOrThrow()).id;
    if (!reused)
      await seedDeskLoad(db.kysely, db.dialect, home, {
        items: quick ? 1_000 : 10_000,
        otherUnits: 3,
        plans: 12,
        auditRows: quick ? 2_000 : 20_000,
      });
    console.log(`-- ${kind}`);
    const month = DateTime.now().setZone(LOCAL_ZONE).startOf('month');
    const period = { from: month.toJSDate(), to: month.plus({ months: 1 }).toJSDate() };
    for (const unitId of [home, undefined]) {
      const who = unitId ? 'unit' : 'province';
      const f = { ...period, unitId };
      await time(`calendar days, month, ${who}`, () => listCalendarDays(db.kysely, f, 4));
      await time(`calendar coverage, month, ${who}`, () => calendarCoverage(db.kysely, f));
      await time(`log count, ${who}`, () => countPublishLog(db.kysely, { unitId }));
      await time(`log page 1, ${who}`, () => readPublishLog(db.kysely, { unitId }, { newestFirst: true, limit: 50 }));
      await time(`count waiting, ${who}`, () => countWaiting(db.kysely, unitId));
    }
    await time('plan demands', () => planDemands(db.kysely, month.year));
    await time('channels + units', () => Promise.all([listChannels(db.kysely), listUnits(db.kysely)]));
    await db.close();
    if (process.env.KEEP_DB || reused) console.log(`kept: ${database.url}`);
    else await database.drop?.();
  }
}

void main().then(() => process.exit(0));
