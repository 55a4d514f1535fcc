/**
 * Issue 27, finding 7 (and the "+99999999d" of 14): a publication is never back-dated, whichever door queues it. The
 * rule is queueAs's (src/actions/publications.ts); the API, the desk and the CLI refuse the same times naming the
 * field, and store nothing (the desk's new item included).
 */
import { listItems } from '../../src/store/items';
import { savePlan } from '../../src/store/plans';
import { minimalPlan } from '../support/seed';
import { type Doors, openDoors, pageText } from './doors';

const TIMES: Array<[string, RegExp]> = [
  ['01/01/2020 08:00', /đã qua/],
  ['2020-01-01T08:00:00+07:00', /đã qua/],
  ['+99999999d', /xa quá|nằm ngoài khoảng/],
  ['31/12/9999 08:00', /năm 9999 nằm ngoài khoảng/],
];

describe('queueing refuses a time in the past at every door', () => {
  let doors: Doors;
  let planId: number;
  let itemId: number;
  const publications = async () =>
    Number(
      (
        await doors.db.kysely
          .selectFrom('publications')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    doors = await openDoors('sqlite');
    planId = (
      await savePlan(doors.db.kysely, { plan: minimalPlan(), sourceName: 'kế hoạch', sourceHash: 'h-q' }, 'kiểm thử')
    ).plan.id;
    const made = await doors.api('officer', 'POST', '/api/items', {
      plan: planId,
      area: 'thu-tuc-hanh-chinh',
      unit: 'ubnd-xa-tan-lap',
      title: 'Bài',
      body: 'Nội dung',
    });
    itemId = (made.body as { id: number }).id;
  });
  afterAll(() => doors.close());

  test.each(TIMES)('API: "%s"', async (at, reason) => {
    const res = await doors.api('officer', 'POST', '/api/queue', { items: [itemId], channels: ['rss'], at });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { field: 'at', message: expect.stringMatching(reason) } });
    expect(await publications()).toBe(0);
  });

  test.each(TIMES)('desk: "%s"', async (at, reason) => {
    const before = (await listItems(doors.db.kysely)).length;
    const page = await doors.desk('officer', '/desk/bai-viet/moi', {
      plan: String(planId),
      area: 'thu-tuc-hanh-chinh',
      title: 'Bài mới',
      body: 'Nội dung mới',
      channels: 'rss',
      at,
    });
    expect(page.status).toBe(400);
    expect(pageText(page.html)).toMatch(reason);
    expect((await listItems(doors.db.kysely)).length).toBe(before);
    expect(await publications()).toBe(0);
  });

  test.each(TIMES)('CLI: "%s"', async (at, reason) => {
    const result = await doors.cli(['queue', String(itemId), '--channel', 'rss', '--at', at]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/--at/);
    expect(result.stderr).toMatch(reason);
    expect(await publications()).toBe(0);
  });
});
