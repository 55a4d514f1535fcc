import path from 'node:path';

import { parsePeriod, periodBetween } from '../../src/domain/report-period';
import type { Db } from '../../src/store';
import { saveChannel } from '../../src/store/channels';
import { linkItemActivities } from '../../src/store/item-activities';
import { addItems, approveItem } from '../../src/store/items';
import { savePlan } from '../../src/store/plans';
import { ensureUnit } from '../../src/store/units';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases';
import { importPlanFile } from '../support/importer';
import { openStore } from '../support/open-store';
import { buildReport } from '../support/report';
import { minimalPlan } from '../support/seed';
import { PROJECT } from '../support/services';
import { publish, vn } from './known-log';

/**
 * The shipped seed plan (Sở LĐ-TB&XH Bình Phước 2024): activity a) posting on the portal weekly, b) weekly talks,
 * c) and d) within the year 2024. In January 2024 (five weeks, Monday 1/1 to Wednesday 31/1) the portal carries one
 * item tied to a) every week and one tied to d) on 15/1; nothing is tied to b) or c).
 */
describe.each(DATABASE_KINDS)('the report against the seed plan on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await freshDatabase(kind);
    db = await openStore(database.url, { defaultUnit: 'Văn phòng Sở' });
    const imported = await importPlanFile(path.join(PROJECT, 'examples/plans/binh-phuoc-2024-sldtbxh.txt'));
    const { plan } = await savePlan(
      db.kysely,
      { plan: imported.plan, sourceName: 'binh-phuoc-2024-sldtbxh.txt', sourceHash: imported.sourceHash },
      'kiểm thử',
    );
    const item = (title: string, area: string) => ({
      plan: plan.id,
      area,
      unit: 'van-phong-so',
      title,
      body: 'Nội dung',
      link: null,
      image: null,
      priority: 'thong-thuong' as const,
    });
    const weekly = await addItems(
      db.kysely,
      [1, 2, 3, 4, 5].map((n) => item(`Tuần ${n}`, 'thu-tuc-hanh-chinh')),
      'cán bộ A',
    );
    const [result] = await addItems(db.kysely, [item('Kết quả năm', 'chu-truong')], 'cán bộ A');
    for (const [i, it] of weekly.entries()) {
      await approveItem(db.kysely, it.id, 'lãnh đạo');
      await linkItemActivities(db.kysely, it.id, ['a'], 'cán bộ A');
      await publish(db.kysely, it.id, 'rss', vn(`2024-01-${String(2 + i * 7).padStart(2, '0')} 08:00`), [
        { outcome: 'published', after: 10 },
      ]);
    }
    await linkItemActivities(db.kysely, result!.id, ['d'], 'cán bộ A');
    await publish(db.kysely, result!.id, 'rss', vn('2024-01-15 08:00'), [{ outcome: 'published', after: 10 }]);
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  test('January 2024: activities by their timing, empty areas, and who is responsible', async () => {
    const report = await buildReport(db, { period: parsePeriod('2024-01') });
    expect(report.plans).toHaveLength(1);
    const [plan] = report.plans;
    expect(plan!.activities.map((a) => [a.label, a.status, a.done, a.due])).toEqual([
      ['a', 'done', 5, 5],
      ['b', 'overdue', 0, 5],
      ['c', 'due', 0, 1],
      ['d', 'done', 1, 1],
    ]);
    expect(plan!.activities.find((a) => a.label === 'b')!.responsible).toEqual([
      'Các phòng chuyên môn, nghiệp vụ thuộc Sở',
      'Các đơn vị sự nghiệp trực thuộc Sở',
    ]);
    expect(plan!.channels.map((c) => [c.platform, c.published])).toEqual([['rss', 6]]);
    const emptyAreas = plan!.gaps.filter((g) => g.kind === 'area').map((g) => g.what);
    expect(emptyAreas).toHaveLength(9);
    expect(emptyAreas).not.toContain('Cải cách thủ tục hành chính');
    expect(emptyAreas).toContain('Cải cách thể chế');
    expect(plan!.gaps.find((g) => g.what === 'Cải cách thể chế')!.responsible).toEqual([
      'Văn phòng Sở',
      'Các đơn vị sự nghiệp trực thuộc Sở',
    ]);
    expect(plan!.gaps.filter((g) => g.kind === 'activity').map((g) => g.what.slice(0, 2))).toEqual(['b)', 'c)']);
    expect(plan!.offlineForms).toContain('Báo chí, phương tiện thông tin đại chúng');
  });

  test('February 2024: nothing on the portal is a channel gap; the weekly activity is overdue, d) stays done within its year', async () => {
    const report = await buildReport(db, { period: parsePeriod('2024-02') });
    const [plan] = report.plans;
    expect(plan!.gaps.filter((g) => g.kind === 'channel').map((g) => [g.what, g.responsible])).toEqual([
      ['Cổng/Trang thông tin điện tử', ['Văn phòng Sở', 'Các đơn vị sự nghiệp trực thuộc Sở']],
    ]);
    expect(plan!.activities.map((a) => [a.label, a.status])).toEqual([
      ['a', 'overdue'],
      ['b', 'overdue'],
      ['c', 'due'],
      ['d', 'done'],
    ]);
    expect(plan!.areas.every((a) => a.published === 0)).toBe(true);
  });

  test('a weekly activity missed in one week of the period is overdue, with the weeks done and due', async () => {
    const report = await buildReport(db, { period: periodBetween('01/01/2024', '11/02/2024') });
    expect(report.plans[0]!.activities.find((a) => a.label === 'a')).toMatchObject({
      status: 'overdue',
      done: 5,
      due: 6,
      published: 5,
    });
  });

  test('the whole year 2024 judged at its end: c) is overdue; a plan of another year is not in force', async () => {
    const year = await buildReport(db, { period: parsePeriod('2024') });
    expect(year.plans[0]!.activities.find((a) => a.label === 'c')!.status).toBe('overdue');
    expect((await buildReport(db, { period: parsePeriod('2025') })).plans).toEqual([]);
  });

  test('a 2024 plan seen over 2024–2026 owes its weekly duty for 2024 only', async () => {
    const report = await buildReport(db, {
      period: periodBetween('01/01/2024', '31/12/2026'),
      now: vn('2026-12-31 12:00'),
    });
    // 2024 opens on a Monday: 53 weeks begin in it (the last, 30/12, is cut at the plan's end).
    expect(report.plans[0]!.activities.find((a) => a.label === 'a')).toMatchObject({ done: 5, due: 53 });
  });

  test('an activity the plan does not have is refused, naming the ones it has', async () => {
    const [extra] = await addItems(
      db.kysely,
      [
        {
          plan: 1,
          area: 'khac',
          unit: 'van-phong-so',
          title: 'Khác',
          body: 'x',
          link: null,
          image: null,
          priority: 'thong-thuong',
        },
      ],
      'cán bộ A',
    );
    await expect(linkItemActivities(db.kysely, extra!.id, ['e'], 'cán bộ A')).rejects.toMatchObject({
      field: 'activity',
      reason: expect.stringContaining('kế hoạch có: a, b, c, d'),
    });
  });
});

/**
 * A plan that names Facebook, read by two units: only the second has a Page in Loa. A report narrowed to a unit says
 * whether that unit has the channel, not whether any unit does: the first unit's gap is "Loa chưa có kênh này".
 */
describe.each(DATABASE_KINDS)('the plan coverage narrowed to one unit on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await freshDatabase(kind);
    db = await openStore(database.url, { defaultUnit: 'UBND xã Tân Lập' });
    const plan = { ...minimalPlan(), channels: [{ platform: 'facebook' as const, wording: 'Trang Facebook của xã' }] };
    await savePlan(db.kysely, { plan, sourceName: 'kế hoạch thử', sourceHash: 'hash-thu' }, 'kiểm thử');
    const other = await ensureUnit(db.kysely, 'Phòng Văn hóa - Thông tin', 'kiểm thử', 'phong-van-hoa');
    await saveChannel(
      db.kysely,
      { id: 'fb-vh', unitId: other.id, platform: 'facebook', name: 'Trang Phòng Văn hóa', settings: {} },
      'kiểm thử',
    );
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  const facebookGap = async (unitId?: string) => {
    const report = await buildReport(db, { period: parsePeriod('2026-01'), unitId });
    return report.plans[0]!.gaps.find((g) => g.kind === 'channel' && g.what === 'Facebook')?.detail;
  };

  test('a unit without the channel is told Loa has none for it; one with it, that nothing went out', async () => {
    expect(await facebookGap('ubnd-xa-tan-lap')).toBe('chưa đăng; Loa chưa có kênh này');
    expect(await facebookGap('phong-van-hoa')).toBe('chưa đăng tin, bài nào');
    expect(await facebookGap()).toBe('chưa đăng tin, bài nào');
  });
});
