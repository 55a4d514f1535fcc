/**
 * Issue 27, findings 15–17 for items: one hostile table of item fields, run through the API, the desk and the CLI.
 * Each door refuses the same rows naming the field and the reason in Vietnamese, and stores nothing: control
 * characters, text damaged by the TCVN3 encoding (read as Latin-1: "Th«ng b¸o"), links and images over 2,048
 * characters. The rules are the domain's (src/domain/content-item.ts, src/domain/text.ts), once for every door;
 * an items file and a reject reason get the same treatment.
 */
import fs from 'node:fs';
import path from 'node:path';

import { listItems } from '../../src/store/items';
import { savePlan } from '../../src/store/plans';
import { HOME } from '../support/accounts';
import { DATABASE_KINDS } from '../support/databases';
import { minimalPlan } from '../support/seed';
import { type Doors, openDoors, pageText } from './doors';

/** "Thông báo về thủ tục" typed in TCVN3 and read as Latin-1, as an old file or a wrong copy brings it. */
const TCVN3 = 'Th«ng b¸o vÒ thñ tôc';
const LONG = `https://xa.gov.vn/${'a'.repeat(2100)}`;

/** field, value, the reason said; `cli: false` where an argument cannot carry it (NUL ends a C string). */
const ITEM_ROWS: Array<{ field: string; value: string; reason: RegExp; cli?: false }> = [
  { field: 'title', value: 'Thông\u0000báo', reason: /U\+0000/, cli: false },
  { field: 'title', value: 'Thông\u001b[31mbáo', reason: /U\+001B/ },
  { field: 'body', value: 'Nội dung\u0007', reason: /U\+0007/ },
  { field: 'title', value: TCVN3, reason: /sai bảng mã.*TCVN3/ },
  { field: 'body', value: `Kính gửi: ${TCVN3}`, reason: /sai bảng mã/ },
  { field: 'link', value: LONG, reason: /dài quá 2048 ký tự/ },
  { field: 'image', value: `${LONG}.jpg`, reason: /dài quá 2048 ký tự/ },
];

const REASONS: Array<{ value: string; reason: RegExp; cli?: false }> = [
  { value: 'sai\u0000số liệu', reason: /U\+0000/, cli: false },
  { value: 'sai số liệu\u202e', reason: /đảo chiều chữ \(U\+202E\)/ },
  { value: 'sai\u001b]0;x\u0007số liệu', reason: /U\+001B/ },
];

describe.each(DATABASE_KINDS)('hostile item fields at every door, on %s', (kind) => {
  let doors: Doors;
  let planId: number;
  let itemId: number;
  const good = () => ({ plan: String(planId), area: 'thu-tuc-hanh-chinh', title: 'Bài tốt', body: 'Nội dung tốt' });
  const count = async () => (await listItems(doors.db.kysely)).length;

  beforeAll(async () => {
    doors = await openDoors(kind);
    planId = (
      await savePlan(doors.db.kysely, { plan: minimalPlan(), sourceName: 'kế hoạch', sourceHash: 'h-i' }, 'kiểm thử')
    ).plan.id;
    const made = await doors.api('officer', 'POST', '/api/items', { ...good(), plan: planId, unit: HOME });
    expect(made.status).toBe(201);
    itemId = (made.body as { id: number }).id;
  });
  afterAll(() => doors.close());

  test.each(ITEM_ROWS)('API: $field refused ($reason), nothing stored', async ({ field, value, reason }) => {
    const before = await count();
    const res = await doors.api('officer', 'POST', '/api/items', {
      ...good(),
      plan: planId,
      unit: HOME,
      [field]: value,
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { field, message: expect.stringMatching(reason) } });
    expect(await count()).toBe(before);
  });

  test.each(ITEM_ROWS)('desk: $field refused ($reason), nothing stored', async ({ field, value, reason }) => {
    const before = await count();
    const page = await doors.desk('officer', '/desk/bai-viet/moi', { ...good(), [field]: value });
    expect(page.status).toBe(400);
    expect(pageText(page.html)).toMatch(new RegExp(`${field}:? .*${reason.source}`));
    expect(await count()).toBe(before);
  });

  test.each(ITEM_ROWS.filter((r) => r.cli !== false))(
    'CLI: $field refused ($reason), nothing stored',
    async ({ field, value, reason }) => {
      const before = await count();
      const result = await doors.cli([
        'items',
        'add',
        ...['--plan', String(planId), '--area', 'thu-tuc-hanh-chinh', '--unit', HOME],
        ...['--title', 'Bài tốt', '--body', 'Nội dung tốt', `--${field}`, value],
      ]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(`"${field}"`);
      expect(result.stderr).toMatch(reason);
      expect(await count()).toBe(before);
    },
  );

  test('an items file with damaged text: POST /api/items/import and loa items import refuse the same row', async () => {
    const csv = `plan,area,unit,title,body\n${planId},thu-tuc-hanh-chinh,${HOME},Bài đúng,Nội dung\n${planId},thu-tuc-hanh-chinh,${HOME},${TCVN3},Nội dung\n`;
    const before = await count();
    const res = await doors.api('officer', 'POST', '/api/items/import', { format: 'csv', content: csv });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { field: 'dòng 3.title', message: expect.stringMatching(/sai bảng mã/) } });
    const file = path.join(doors.config.exportDir, 'noi-dung.csv');
    fs.writeFileSync(file, csv);
    const result = await doors.cli(['items', 'import', file]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/"dòng 3\.title".*sai bảng mã/);
    expect(await count()).toBe(before);
  });

  test.each(REASONS)('API: a reject reason $reason is refused, the item untouched', async ({ value, reason }) => {
    const res = await doors.api('supervisor', 'POST', `/api/items/${itemId}/reject`, { reason: value });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { field: 'reason', message: expect.stringMatching(reason) } });
    expect((await listItems(doors.db.kysely)).find((i) => i.id === itemId)?.rejection).toBeNull();
  });

  test.each(REASONS)('desk: a reject reason $reason is refused, the item untouched', async ({ value, reason }) => {
    const page = await doors.desk('supervisor', `/desk/duyet/${itemId}`, { action: 'tra-lai', reason: value });
    expect(page.status).toBe(400);
    expect(pageText(page.html)).toMatch(new RegExp(`Lý do trả lại: .*${reason.source}`));
    expect((await listItems(doors.db.kysely)).find((i) => i.id === itemId)?.rejection).toBeNull();
  });

  test.each(REASONS.filter((r) => r.cli !== false))(
    'CLI: a reject reason $reason is refused, the item untouched',
    async ({ value, reason }) => {
      const result = await doors.cli(['reject', String(itemId), '--reason', value, '--as', 'Lãnh đạo Bình']);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/"reason"/);
      expect(result.stderr).toMatch(reason);
      expect((await listItems(doors.db.kysely)).find((i) => i.id === itemId)?.rejection).toBeNull();
    },
  );
});
