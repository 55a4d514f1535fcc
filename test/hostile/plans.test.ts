/**
 * Issue 27, findings 2 and 3: a plan belongs to the unit that imported it. Another unit's officer sending a lightly
 * edited copy (API or desk) is refused naming the owner, and the plan is left as it was; the importing unit and admins
 * may update it. Importing a plan creates no unit: the units it names are proposed for an admin to add.
 */
import fs from 'node:fs';
import path from 'node:path';

import { getPlan, listPlans } from '../../src/store/plans';
import { listUnits } from '../../src/store/units';
import { DATABASE_KINDS } from '../support/databases';
import { PROJECT } from '../support/services';
import { type Doors, openDoors, pageText } from './doors';

const PLAN = fs.readFileSync(path.join(PROJECT, 'test/fixtures/plans/ninh-thuan-2023-ubnd-911.txt'), 'utf8');
/** The same plan (code, issuer, year) with one sentence changed: a "changed version" to Loa. */
const edited = (n: number) => PLAN.replace(/\n/, `\nGhi chú sửa lần ${n}.\n`);

describe.each(DATABASE_KINDS)('plans belong to the unit that imported them, on %s', (kind) => {
  let doors: Doors;
  let planId: number;
  const upload = (person: Parameters<Doors['api']>[0], text: string) =>
    fetch(`${doors.base}/api/plans`, {
      method: 'POST',
      body: text,
      headers: {
        'content-type': 'application/octet-stream',
        authorization: `Bearer ${doors.accounts.token[person]}`,
        'x-loa-filename': 'ke-hoach-911.txt',
      },
    });

  let unitsBefore: string[];
  let proposed: Array<{ key: string; name: string }>;
  beforeAll(async () => {
    doors = await openDoors(kind);
    unitsBefore = (await listUnits(doors.db.kysely)).map((u) => u.id);
    const created = await upload('officer', PLAN);
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: number; proposedUnits: Array<{ key: string; name: string }> };
    planId = body.id;
    proposed = body.proposedUnits;
  });

  test('importing creates no unit: the units the plan names are proposed for an admin', async () => {
    expect((await listUnits(doors.db.kysely)).map((u) => u.id)).toEqual(unitsBefore);
    expect(proposed.length).toBeGreaterThan(0);
    expect(proposed.every((u) => !unitsBefore.includes(u.key))).toBe(true);
  });
  afterAll(() => doors.close());

  test("API: another unit's officer cannot update it; the refusal names the owner and nothing changes", async () => {
    const before = await getPlan(doors.db.kysely, planId);
    const res = await upload('otherOfficer', edited(1));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      error: { field: 'plan', message: expect.stringMatching(/do đơn vị ubnd-xa-tan-lap nhập; chỉ cán bộ của đơn vị/) },
    });
    const after = await getPlan(doors.db.kysely, planId);
    expect(after).toEqual(before);
    expect(after.importedBy).toBe('Cán bộ An');
    expect(await listPlans(doors.db.kysely)).toHaveLength(1);
  });

  test('desk: the same refusal on the upload page, status 403, nothing stored', async () => {
    const before = await getPlan(doors.db.kysely, planId);
    const form = new FormData();
    form.set('tep', new Blob([edited(2)]), 'ke-hoach-911.txt');
    const page = await doors.desk('otherSupervisor', '/desk/ke-hoach', form);
    expect(page.status).toBe(403);
    expect(pageText(page.html)).toMatch(/do đơn vị ubnd-xa-tan-lap nhập/);
    expect(await getPlan(doors.db.kysely, planId)).toEqual(before);
  });

  test('the importing unit and an admin may update it; the owner stays the importing unit', async () => {
    const own = await upload('supervisor', edited(3));
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ id: planId, outcome: 'updated' });
    const admin = await upload('admin', edited(4));
    expect(await admin.json()).toMatchObject({ id: planId, outcome: 'updated' });
    expect((await getPlan(doors.db.kysely, planId)).importedUnit).toBe('ubnd-xa-tan-lap');
  });

  test('CLI: loa import acts as an admin and may update it', async () => {
    const file = path.join(doors.config.exportDir, 'ke-hoach-911.txt');
    fs.writeFileSync(file, edited(5));
    const result = await doors.cli(['import', file]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/Đã cập nhật kế hoạch số/);
    // Even an admin's import only proposes the units; adding one is `loa units add`.
    expect(result.stdout).toMatch(/đơn vị chưa có trong Loa \(không tự thêm\)/);
    expect((await listUnits(doors.db.kysely)).map((u) => u.id)).toEqual(unitsBefore);
  });
});
