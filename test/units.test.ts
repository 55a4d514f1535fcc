import { parsePeriod } from '../src/domain/report-period';
import { kindOfUnitName } from '../src/domain/unit';
import type { Db } from '../src/store';
import { saveChannel } from '../src/store/channels';
import { listItems } from '../src/store/items';
import {
  ensureUnit,
  listUnitRecords,
  listUnits,
  mergeUnits,
  renameUnit,
  retireUnit,
  unitEvents,
} from '../src/store/units';
import { createUser, getUserByName } from '../src/store/users';
import { publish, vn } from './report/known-log';
import { DATABASE_KINDS } from './support/databases';
import { buildReport } from './support/report';
import { seedItems } from './support/seed';
import { type FreshStore, freshStore } from './support/store-fixture';

test('a unit’s kind is read from its name: communes, wards, departments; districts are the old tier', () => {
  expect(kindOfUnitName('UBND xã Tân Lập')).toBe('xa');
  expect(kindOfUnitName('Đặc khu Phú Quốc')).toBe('xa');
  expect(kindOfUnitName('Phường Đoàn Kết')).toBe('phuong');
  expect(kindOfUnitName('Sở Nội vụ')).toBe('so-nganh');
  expect(kindOfUnitName('UBND huyện Cái Nước')).toBe('huyen');
  expect(kindOfUnitName('Hội Nông dân')).toBe('khac');
});

/**
 * Two communes merged into a new one on 01/07/2025 (the day the two-tier local government began), one of them
 * renamed in May: the 2025 report shows each post under the unit as it was when it went out.
 */
describe.each(DATABASE_KINDS)('units merged, renamed and retired on %s', (kind) => {
  let store: FreshStore;
  let db: Db;

  beforeAll(async () => {
    store = await freshStore(kind);
    db = store.db;
    const k = db.kysely;
    await ensureUnit(k, 'UBND xã Tân Lập', 'kiểm thử', 'ubnd-xa-tan-lap');
    await ensureUnit(k, 'UBND xã Tân Hòa', 'kiểm thử', 'tan-hoa');
    await ensureUnit(k, 'UBND xã Tân Phú', 'kiểm thử', 'tan-phu');
    await ensureUnit(k, 'Sở Nội vụ', 'kiểm thử', 'so-noi-vu');
    const radio = (id: string, unitId: string) =>
      saveChannel(k, { id, unitId, platform: 'radio', name: `Đài ${id}`, settings: {} }, 'kiểm thử');
    await radio('dai-tan-lap', 'ubnd-xa-tan-lap');
    await radio('dai-tan-hoa', 'tan-hoa');
    await createUser(
      k,
      { name: 'Cán bộ Tân Hòa', unitId: 'tan-hoa', role: 'officer', password: 'mật khẩu dài 12' },
      'kiểm thử',
    );
    const [i1, i2, i3, i4] = await seedItems(k, 4);
    const ok = [{ outcome: 'published' as const, after: 10 }];
    await publish(k, i1!, 'dai-tan-lap', vn('2025-03-10 06:00'), ok);
    await publish(k, i2!, 'dai-tan-hoa', vn('2025-04-15 06:00'), ok);
    await renameUnit(k, 'tan-hoa', 'UBND xã Hòa Bình', 'quản trị', vn('2025-05-01 00:00'));
    await publish(k, i3!, 'dai-tan-hoa', vn('2025-06-15 06:00'), ok);
    await k.updateTable('content_items').set({ unit_id: 'tan-hoa' }).where('id', '=', i3!).execute();
    await mergeUnits(k, ['ubnd-xa-tan-lap', 'UBND xã Hòa Bình'], 'tan-phu', 'quản trị', vn('2025-07-01 00:00'));
    await publish(k, i4!, 'dai-tan-lap', vn('2025-08-10 06:00'), ok);
  });
  afterAll(() => store.dispose());

  test('the merged units are kept, retired, with their events; their channels, users and items moved', async () => {
    const k = db.kysely;
    expect((await listUnits(k)).map((u) => u.id)).not.toContain('tan-hoa');
    const records = await listUnitRecords(k);
    expect(records.find((u) => u.id === 'tan-hoa')).toMatchObject({ name: 'UBND xã Hòa Bình', mergedInto: 'tan-phu' });
    expect((await unitEvents(k, 'tan-hoa')).map((e) => [e.action, e.nameBefore, e.nameAfter])).toEqual([
      ['rename', 'UBND xã Tân Hòa', 'UBND xã Hòa Bình'],
      ['merge', 'UBND xã Hòa Bình', 'UBND xã Tân Phú'],
    ]);
    const channels = await k.selectFrom('channels').select(['id', 'unit_id']).orderBy('id').execute();
    expect(channels.filter((c) => c.id.startsWith('dai-')).map((c) => c.unit_id)).toEqual(['tan-phu', 'tan-phu']);
    expect((await getUserByName(k, 'Cán bộ Tân Hòa'))?.unitId).toBe('tan-phu');
    expect((await listItems(k, { unitId: 'tan-hoa' })).length).toBe(0);
  });

  test('the 2025 report shows each post under the unit as it was, and counts communes, not districts', async () => {
    const report = await buildReport(db, { period: parsePeriod('2025'), now: vn('2026-01-01 00:00') });
    expect(report.byUnit.map((u) => [u.unitId, u.name, u.published]).sort()).toEqual([
      ['tan-hoa', 'UBND xã Hòa Bình', 1],
      ['tan-hoa', 'UBND xã Tân Hòa', 1],
      ['tan-phu', 'UBND xã Tân Phú', 1],
      ['ubnd-xa-tan-lap', 'UBND xã Tân Lập', 1],
    ]);
    expect(report.communes).toEqual({ total: 3, published: 3, silent: [] });
    const next = await buildReport(db, { period: parsePeriod('2026'), now: vn('2027-01-01 00:00') });
    expect(next.communes).toEqual({ total: 1, published: 0, silent: ['UBND xã Tân Phú'] });
  });

  test('a merged unit cannot be renamed or merged again; a unit with posts waiting cannot be retired', async () => {
    const k = db.kysely;
    await expect(renameUnit(k, 'tan-hoa', 'Tên khác', 'quản trị')).rejects.toThrow('đã ngừng hoạt động');
    await expect(mergeUnits(k, ['tan-phu'], 'tan-phu', 'quản trị')).rejects.toThrow('vào chính nó');
    const [item] = await seedItems(k, 1, true);
    await k
      .insertInto('publications')
      .values({
        id: 'cho-dang',
        item_id: item!,
        channel_id: 'dai-tan-lap',
        scheduled_at: vn('2030-01-01 06:00').toISOString(),
        state: 'scheduled',
        reason: null,
        content: null,
        external_id: null,
        external_url: null,
        attempts: 0,
        queued_by: 'kiểm thử',
        claimed_by: null,
        lease_until: null,
        published_at: null,
        claim_token: null,
        published_title: null,
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      })
      .execute();
    await expect(retireUnit(k, 'tan-phu', 'quản trị')).rejects.toThrow('còn 1 bài đăng chưa đăng');
    await k.deleteFrom('publications').where('id', '=', 'cho-dang').execute();
    const retired = await retireUnit(k, 'tan-phu', 'quản trị');
    expect(retired.usersDisabled).toBe(1);
    const paused = await k.selectFrom('channels').select('paused_reason').where('unit_id', '=', 'tan-phu').execute();
    expect(paused.every((c) => c.paused_reason === 'đơn vị đã ngừng hoạt động')).toBe(true);
  });
});
