import { parsePeriod } from '../../src/domain/report-period';
import { saveChannel } from '../../src/store/channels';
import { ensureUnit } from '../../src/store/units';
import { DATABASE_KINDS } from '../support/databases';
import { buildReport } from '../support/report';
import { seedItems } from '../support/seed';
import { type FreshStore, freshStore } from '../support/store-fixture';
import { publish, vn } from './known-log';

/**
 * The report's coverage is of communes and wards (the lower of the two tiers since 1 July 2025): a district of the old
 * tier, a department or the province posting does not count, and is never named as silent.
 */
describe.each(DATABASE_KINDS)('coverage counts communes and wards only, on %s', (kind) => {
  let store: FreshStore;

  beforeAll(async () => {
    store = await freshStore(kind);
    const k = store.db.kysely;
    const units = [
      ['tan-hoa', 'UBND xã Tân Hòa'],
      ['phuong-doan-ket', 'UBND phường Đoàn Kết'],
      ['huyen-cang-long', 'UBND huyện Càng Long'],
      ['so-noi-vu', 'Sở Nội vụ'],
      ['tinh-vinh-long', 'UBND tỉnh Vĩnh Long'],
    ] as const;
    for (const [id, name] of units) {
      await ensureUnit(k, name, 'kiểm thử', id);
      await saveChannel(
        k,
        { id: `dai-${id}`, unitId: id, platform: 'radio', name: `Đài ${id}`, settings: {} },
        'kiểm thử',
      );
    }
    const items = await seedItems(k, 4);
    const ok = [{ outcome: 'published' as const, after: 10 }];
    // The commune, the district, the department and the province post; the ward does not.
    await publish(k, items[0]!, 'dai-tan-hoa', vn('2025-09-10 06:00'), ok);
    await publish(k, items[1]!, 'dai-huyen-cang-long', vn('2025-09-11 06:00'), ok);
    await publish(k, items[2]!, 'dai-so-noi-vu', vn('2025-09-12 06:00'), ok);
    await publish(k, items[3]!, 'dai-tinh-vinh-long', vn('2025-09-13 06:00'), ok);
  });
  afterAll(() => store.dispose());

  test('a commune and a ward are counted; the district, the department and the province are not', async () => {
    const report = await buildReport(store.db, { period: parsePeriod('2025'), now: vn('2026-01-01 00:00') });
    // The store's own unit (UBND xã Tân Lập, the installation's commune) posted nothing: it is silent too.
    expect({ ...report.communes, silent: [...report.communes.silent].sort() }).toEqual({
      total: 3,
      published: 1,
      silent: ['UBND phường Đoàn Kết', 'UBND xã Tân Lập'],
    });
    // Their posts are still in the report, under their units.
    expect(report.byUnit.map((u) => u.unitId).sort()).toEqual([
      'huyen-cang-long',
      'so-noi-vu',
      'tan-hoa',
      'tinh-vinh-long',
    ]);
  });
});
