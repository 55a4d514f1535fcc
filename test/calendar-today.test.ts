import fs from 'node:fs';
import path from 'node:path';

import { type Clock, clockFromEnv, fixedDay, localToday, systemClock } from '../src/domain/clock';
import { formatLocal } from '../src/domain/time';
import type { Db } from '../src/store';
import { seedAccounts } from './support/accounts';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { serveForTest } from './support/server';
import { envFor, PROJECT, runLoa, testConfig } from './support/services';

/** A 2025 plan (Bình Phước, Kế hoạch 107/KH-UBND): its calendar for June 2025 is asked on a day the test sets. */
const PLAN_FILE = path.join(PROJECT, 'test/fixtures/plans/binh-phuoc-2025-ubnd-107.txt');
const localDay = (at: string) => formatLocal(at, 'yyyy-LL-dd');

test('the clock: a fixed day is that day in Vietnam; LOA_TODAY sets it, a wrong one is refused naming the variable', () => {
  expect(localToday(fixedDay('2025-06-15'))).toBe('2025-06-15');
  expect(localToday(clockFromEnv({ LOA_TODAY: '2025-06-15' }))).toBe('2025-06-15');
  expect(clockFromEnv({})).toBe(systemClock);
  expect(() => clockFromEnv({ LOA_TODAY: '15/06/2025' })).toThrow(/LOA_TODAY|YYYY-MM-DD/);
});

describe.each(DATABASE_KINDS)('every caller proposes from today on its clock, on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;
  let server: Awaited<ReturnType<typeof serveForTest>>;
  let as: Record<string, string>;
  let planId: number;
  // The server's clock: one day the test moves, never the real date.
  let today = '2025-06-15';
  const clock: Clock = { now: () => fixedDay(today).now() };

  beforeAll(async () => {
    database = await freshDatabase(kind);
    const config = testConfig(database.url);
    db = await openStore(database.url, { defaultUnit: config.defaultUnit });
    server = await serveForTest(db, database, config, { clock });
    const { token } = await seedAccounts(db.kysely);
    as = { authorization: `Bearer ${token.officer}` };
    const imported = await fetch(`${server.base}/api/plans`, {
      method: 'POST',
      body: new Uint8Array(fs.readFileSync(PLAN_FILE)),
      headers: { 'content-type': 'application/octet-stream', 'x-loa-filename': 'ke-hoach-107.txt', ...as },
    });
    planId = ((await imported.json()) as { id: number }).id;
  });
  afterAll(() => server.close());

  const proposeJune = async () => {
    const response = await fetch(`${server.base}/api/plans/${planId}/calendar`, {
      method: 'POST',
      body: JSON.stringify({ from: '01/06/2025', to: '30/06/2025' }),
      headers: { 'content-type': 'application/json', ...as },
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { proposal: { slots: { at: string }[]; warnings: string[] } }).proposal;
  };

  test('the API: no slot before the server clock’s today, and the days cut off are said', async () => {
    today = '2025-06-15';
    const proposal = await proposeJune();
    expect(proposal.slots.length).toBeGreaterThan(0);
    expect(proposal.slots.every((slot) => localDay(slot.at) >= '2025-06-15')).toBe(true);
    expect(proposal.warnings.join('\n')).toMatch(/01\/06\/2025.*14\/06\/2025/u);
    // The same request a month earlier on the clock keeps the first half of June.
    today = '2025-05-15';
    const earlier = await proposeJune();
    expect(earlier.slots.some((slot) => localDay(slot.at) < '2025-06-15')).toBe(true);
  });

  test('the CLI: `loa calendar` on LOA_TODAY proposes nothing before it, and says so', async () => {
    const env = envFor(testConfig(database.url), { LOA_USER: 'Cán bộ An', LOA_TODAY: '2025-06-20' });
    const shown = await runLoa(
      ['calendar', String(planId), '--from', '01/06/2025', '--to', '30/06/2025', '--json'],
      env,
    );
    expect(shown.code).toBe(0);
    const proposal = JSON.parse(shown.stdout) as { slots: { at: string }[]; warnings: string[] };
    expect(proposal.slots.length).toBeGreaterThan(0);
    expect(proposal.slots.every((slot) => localDay(slot.at) >= '2025-06-20')).toBe(true);
    expect(proposal.warnings.join('\n')).toMatch(/01\/06\/2025.*19\/06\/2025/u);
  });
});
