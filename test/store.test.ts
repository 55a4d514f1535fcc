import { contentItemInput, parseInput } from '../src/domain/content-item';
import { ValidationError } from '../src/domain/errors';
import type { Db } from '../src/store';
import { connect } from '../src/store/connection';
import { addItems, editItem, getItem, listItems } from '../src/store/items';
import { migrate } from '../src/store/migrate';
import { savePlan } from '../src/store/plans';
import { schedulePublications } from '../src/store/publications';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { minimalPlan, seedItems } from './support/seed';

describe.each(DATABASE_KINDS)('store on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;

  beforeEach(async () => {
    database = await freshDatabase(kind);
    db = await openStore(database.url, { defaultUnit: 'UBND xã Tân Lập' });
  });
  afterEach(async () => {
    await db.close();
    await database.drop();
  });

  test('migrations run on start and a second run changes nothing', async () => {
    const again = connect(database.url);
    expect(await migrate(again)).toEqual([]);
    await again.close();
    const areas = await db.kysely.selectFrom('content_areas').select('key').execute();
    expect(areas.map((a) => a.key)).toContain('thu-tuc-hanh-chinh');
    const channels = await db.kysely.selectFrom('channels').select(['id', 'platform']).orderBy('id').execute();
    expect(channels).toEqual([
      { id: 'radio', platform: 'radio' },
      { id: 'rss', platform: 'rss' },
    ]);
  });

  test('text is stored in NFC whatever form it arrives in', async () => {
    const [id] = await seedItems(db.kysely, 1);
    const decomposed = 'Cải cách thủ tục hành chính'.normalize('NFD');
    const item = await editItem(db.kysely, id!, parseInput(contentItemInput.partial(), { title: decomposed }));
    expect(item.title).toBe('Cải cách thủ tục hành chính'.normalize('NFC'));
    expect(item.title).not.toBe(decomposed);
    expect(item.approvedAt).toBeNull();
  });

  test('a bad row in a batch stores nothing and names the row and field', async () => {
    const [first] = await seedItems(db.kysely, 1);
    const planId = (await getItem(db.kysely, first!)).planId;
    const good = {
      plan: planId,
      area: 'thu-tuc-hanh-chinh',
      unit: 'ubnd-xa-tan-lap',
      title: 'Tốt',
      body: 'Nội dung',
      link: null,
      image: null,
      priority: 'thong-thuong' as const,
    };
    const bad = { ...good, area: 'khong-co-linh-vuc' };
    const attempt = addItems(db.kysely, [good, good, bad], 'cán bộ A', (i) => `dòng ${i + 2}`);
    await expect(attempt).rejects.toThrow(ValidationError);
    await expect(attempt).rejects.toMatchObject({ field: 'dòng 4.area' });
    expect(await listItems(db.kysely)).toHaveLength(1);
  });

  test('scheduling the same (item, channel, time) twice keeps one publication', async () => {
    const [itemId] = await seedItems(db.kysely, 1);
    const slot = { itemId: itemId!, channelId: 'rss', scheduledAt: new Date('2026-12-01T01:30:00Z') };
    const first = await schedulePublications(db.kysely, [slot], 'a');
    const second = await schedulePublications(db.kysely, [slot], 'b');
    expect(first.created.map((p) => p.id)).toEqual([`i${itemId}-rss-20261201T013000Z`]);
    expect(second).toEqual({ created: [], existing: [first.created[0]!.id] });
  });

  test('the same plan twice is kept once; a changed version replaces it and keeps the items written for it', async () => {
    const [itemId] = await seedItems(db.kysely, 1);
    const planId = (await getItem(db.kysely, itemId!)).planId;
    const again = await savePlan(
      db.kysely,
      { plan: minimalPlan(), sourceName: 'bản sao', sourceHash: 'hash-thu' },
      'cán bộ C',
    );
    expect(again).toMatchObject({ kind: 'unchanged', plan: { id: planId } });

    const revised = minimalPlan();
    revised.contentAreas = [{ key: 'chinh-phu-so', wording: 'Tuyên truyền chuyển đổi số', details: [] }];
    const updated = await savePlan(
      db.kysely,
      { plan: revised, sourceName: 'bản sửa', sourceHash: 'hash-sua' },
      'cán bộ C',
    );
    expect(updated.kind).toBe('updated');
    expect(updated.plan.id).toBe(planId);
    if (updated.kind === 'updated') expect(updated.previous.contentAreas[0]!.key).toBe('thu-tuc-hanh-chinh');
    const areas = await db.kysely.selectFrom('plan_areas').select('area_key').where('plan_id', '=', planId).execute();
    expect(areas).toEqual([{ area_key: 'chinh-phu-so' }]);
    expect((await listItems(db.kysely, { planId })).map((i) => i.id)).toEqual([itemId]);
    expect(await db.kysely.selectFrom('plans').select('id').execute()).toHaveLength(1);
  });
});
