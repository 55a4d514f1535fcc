import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { connect } from '../src/store/connection';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases';
import { envFor, PROJECT, runLoa, testConfig } from './support/services';

function tempFile(name: string, text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'loa-cli-')), name);
  fs.writeFileSync(file, text);
  return file;
}

describe.each(DATABASE_KINDS)('the loa command on %s, as an officer uses it', (kind) => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  const loa = (...args: string[]) => runLoa(args, env);
  // PostgreSQL sequences skip the numbers of a rolled-back insert, so ids are read back, never assumed.
  let itemIds: string[] = [];

  beforeAll(async () => {
    database = await freshDatabase(kind);
    // The calendar proposes nothing before today: the plan is for 2025, so the command runs on a day before June 2025.
    env = envFor(testConfig(database.url), { LOA_USER: 'Cán bộ An', LOA_TODAY: '2025-05-01' });
    const imported = await loa('import', path.join(PROJECT, 'test/fixtures/plans/binh-phuoc-2025-ubnd-107.txt'));
    expect(imported.stdout).toContain('Đã nhập kế hoạch số 1');
  });
  afterAll(() => database.drop());

  test('importing the same plan again does not duplicate it', async () => {
    const again = await loa('import', path.join(PROJECT, 'test/fixtures/plans/binh-phuoc-2025-ubnd-107.txt'));
    expect(again.stdout).toContain('Đã có từ trước');
    const plans = JSON.parse((await loa('plans', '--json')).stdout) as unknown[];
    expect(plans).toHaveLength(1);
  });

  test('a file that is not a plan is refused in Vietnamese and stores nothing', async () => {
    const result = await loa('import', tempFile('trong.txt', ''));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Lỗi: .*rỗng/m);
    expect(JSON.parse((await loa('plans', '--json')).stdout)).toHaveLength(1);
  });

  test('a missing field names the field, in Vietnamese', async () => {
    const result = await loa(
      'items',
      'add',
      '--plan',
      '1',
      '--area',
      'thu-tuc-hanh-chinh',
      '--unit',
      'UBND xã Tân Lập',
      '--body',
      'Nội dung',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Lỗi dữ liệu ở "title": thiếu, bắt buộc phải có');
  });

  test('a change without a name of who did it is refused', async () => {
    const result = await runLoa(['approve', '1'], { ...env, LOA_USER: '' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"--as"');
  });

  test('a CSV with one bad row adds nothing and names the row; a good one adds every row', async () => {
    const header = 'plan,area,unit,title,body\n';
    const bad = tempFile(
      'bad.csv',
      `${header}1,thu-tuc-hanh-chinh,UBND xã Tân Lập,Một,Nội dung một\n1,linh-vuc-la,UBND xã Tân Lập,Hai,Nội dung hai\n`,
    );
    const refused = await loa('items', 'import', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Lỗi dữ liệu ở "dòng 3.area": lĩnh vực "linh-vuc-la" không có');
    expect(JSON.parse((await loa('items', 'list', '--json')).stdout)).toEqual([]);

    const good = tempFile(
      'good.csv',
      `${header}1,thu-tuc-hanh-chinh,UBND xã Tân Lập,Một,"Nội dung, có dấu phẩy"\n1,chi-so,ubnd-xa-tan-lap,Hai,Nội dung hai\n`,
    );
    const accepted = await loa('items', 'import', good);
    expect(accepted.stdout).toContain('Đã thêm 2 nội dung');
    const items = JSON.parse((await loa('items', 'list', '--json')).stdout) as Array<{
      id: number;
      title: string;
      body: string;
      author: string;
    }>;
    itemIds = items.map((i) => String(i.id));
    expect(items.map((i) => [i.title, i.body, i.author])).toEqual([
      ['Một', 'Nội dung, có dấu phẩy', 'Cán bộ An'],
      ['Hai', 'Nội dung hai', 'Cán bộ An'],
    ]);
  });

  test('approve, queue and the publish log record who did what', async () => {
    const [first, second] = itemIds;
    expect((await runLoa(['approve', first!, second!], { ...env, LOA_USER: 'Lãnh đạo Bình' })).code).toBe(0);
    // Always years ahead of today, so the slots never fall inside the scheduling window whatever the date.
    const y = new Date().getUTCFullYear() + 5;
    const queued = await loa(
      'queue',
      first!,
      second!,
      '--channel',
      'rss,radio',
      '--at',
      `25/12/${y} 08:30`,
      '--cach',
      '1d',
    );
    expect(queued.code).toBe(0);
    expect(queued.stdout).toContain(`Đã lên lịch i${first}-rss-${y}1225T013000Z: rss lúc 25/12/${y} 08:30`);
    expect(queued.stdout).toContain(`Đã lên lịch i${second}-radio-${y}1226T013000Z: radio lúc 26/12/${y} 08:30`);
    const log = JSON.parse((await loa('log', '--json', '--channel', 'radio')).stdout) as Array<Record<string, unknown>>;
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({
      state: 'scheduled',
      queuedBy: 'Cán bộ An',
      approvedBy: 'Lãnh đạo Bình',
      scheduledAt: `${y}-12-25T01:30:00.000Z`,
    });
    const table = await loa('log', '--from', `26/12/${y}`);
    expect(table.stdout).toContain(`26/12/${y} 08:30`);
    expect(table.stdout).not.toContain(`25/12/${y} 08:30`);
  });

  test('a bad time or state is refused naming the option', async () => {
    const badTime = await loa('queue', '1', '--channel', 'rss', '--at', '32/12/2026');
    expect(badTime.stderr).toContain('Lỗi dữ liệu ở "--at"');
    const badState = await loa('log', '--state', 'xong');
    expect(badState.stderr).toContain(
      'Lỗi dữ liệu ở "--state": "xong" không phải trạng thái; chọn trong: đã lên lịch (scheduled)',
    );
    const backwards = await loa('log', '--from', '31/12/2026', '--to', '01/01/2026');
    expect(backwards.code).toBe(1);
    expect(backwards.stderr).toBe(
      'Lỗi dữ liệu ở "--from": "31/12/2026" ở sau --to "01/01/2026": hãy đổi chỗ hai ngày\n',
    );
    const unknownUnit = await loa('log', '--unit', 'UBND xã Không Có');
    expect(unknownUnit.stderr).toContain('Lỗi dữ liệu ở "--unit": đơn vị "UBND xã Không Có" chưa có trong Loa');
  });

  test('the log shows each publication id, takes the states as shown (Vietnamese) and a unit by name, and shows who last edited the item', async () => {
    const [first] = itemIds;
    expect(
      (await runLoa(['items', 'edit', first!, '--body', 'Nội dung đã sửa'], { ...env, LOA_USER: 'Cán bộ Sửa' })).code,
    ).toBe(0);
    const table = await loa('log', '--state', 'Đã lên lịch', '--unit', 'UBND xã Tân Lập', '--channel', 'rss');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('Mã bài đăng');
    expect(table.stdout).toMatch(new RegExp(`i${first}-rss-\\d{8}T\\d{6}Z`));
    expect(table.stdout).toContain('Sửa lần cuối');
    expect(table.stdout).toContain('Cán bộ Sửa');
    const folded = JSON.parse(
      (await loa('log', '--json', '--state', 'da len lich,published', '--unit', 'ubnd-xa-tan-lap')).stdout,
    ) as Array<{ state: string; editedBy: string | null }>;
    expect(folded.length).toBeGreaterThan(0);
    expect(new Set(folded.map((e) => e.state))).toEqual(new Set(['scheduled']));
    expect(folded.some((e) => e.editedBy === 'Cán bộ Sửa')).toBe(true);
    const none = JSON.parse((await loa('log', '--json', '--state', 'đã đăng')).stdout) as unknown[];
    expect(none).toEqual([]);
  });

  test('an officer withdraws an item from the command line: its waiting publications are cancelled, the log says who and why', async () => {
    const [, second] = itemIds;
    const result = await loa('items', 'rut', second!, '--ly-do', 'Thông tin đã thay đổi');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Đã rút nội dung số ${second} (Cán bộ An: Thông tin đã thay đổi).`);
    expect(result.stdout).toMatch(
      new RegExp(`Hủy 2 lượt chưa đăng: i${second}-(rss|radio)-\\d{8}T\\d{6}Z, i${second}-(rss|radio)-`),
    );
    const log = JSON.parse((await loa('log', '--json', '--state', 'đã hủy')).stdout) as Array<{
      itemId: number;
      reason: string;
    }>;
    expect(log.filter((e) => e.itemId === Number(second)).map((e) => e.reason)).toEqual([
      'nội dung bị rút bởi Cán bộ An: Thông tin đã thay đổi',
      'nội dung bị rút bởi Cán bộ An: Thông tin đã thay đổi',
    ]);
    const again = await loa(
      'queue',
      second!,
      '--channel',
      'rss',
      '--at',
      `25/12/${new Date().getUTCFullYear() + 5} 09:30`,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('đã bị rút');
  });

  test('calendar shows Vietnam times as dd/MM/yyyy HH:mm, and --apply twice adds nothing the second time', async () => {
    const shown = await loa('calendar', '1', '--from', '01/06/2025', '--to', '30/06/2025');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/\b\d{2}\/06\/2025 \d{2}:\d{2}\b/);
    expect(shown.stdout).not.toMatch(/2025-06-\d{2}T/);
    const count = async () => (JSON.parse((await loa('items', 'list', '--json')).stdout) as unknown[]).length;
    const before = await count();
    const first = await loa('calendar', '1', '--from', '01/06/2025', '--to', '30/06/2025', '--apply');
    expect(first.code).toBe(0);
    const added = await count();
    expect(added).toBeGreaterThan(before);
    const second = await loa('calendar', '1', '--from', '01/06/2025', '--to', '30/06/2025', '--apply');
    expect(second.stdout).toMatch(/Đã lưu 0 bản nháp và 0 lượt đăng \(đã có từ trước: \d+ bản nháp, \d+ lượt đăng/);
    expect(await count()).toBe(added);
    const outside = await loa('calendar', '1', '--from', '01/12/2025', '--to', '15/01/2026');
    expect(outside.stderr).toContain(
      'Lưu ý: Bỏ các ngày từ 01/01/2026 đến 15/01/2026: sau thời gian của kế hoạch (năm 2025).',
    );
  });

  test('help and command-line mistakes are in Vietnamese', async () => {
    expect((await loa('--help')).stdout).toContain('Cách dùng: loa');
    const unknown = await loa('xuat-ban');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('Lỗi: lệnh không có: xuat-ban');
  });

  test('a commune adds its own radio station; bad station settings are refused naming the field', async () => {
    expect((await loa('units', 'add', 'UBND xã Tân Lập')).code).toBe(0);
    const bad = await loa(
      'channels',
      'add',
      '--unit',
      'UBND xã Tân Lập',
      '--platform',
      'radio',
      '--name',
      'Đài xã Tân Lập',
      '--settings',
      '{"syllablesPerMinute":-5}',
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Lỗi dữ liệu ở "--settings"');
    expect(bad.stderr).toContain('syllablesPerMinute');
    const good = await loa(
      'channels',
      'add',
      '--unit',
      'ubnd-xa-tan-lap',
      '--platform',
      'radio',
      '--name',
      'Đài xã Tân Lập',
      '--settings',
      '{"dialect":"south"}',
    );
    expect(good.code).toBe(0);
    const channels = JSON.parse((await loa('channels', '--json')).stdout) as Array<{
      id: string;
      unitId: string;
      settings: unknown;
    }>;
    expect(channels.find((c) => c.id === 'dai-xa-tan-lap')).toEqual(
      expect.objectContaining({ unitId: 'ubnd-xa-tan-lap', settings: { dialect: 'south' } }),
    );
    const db = connect(database.url);
    const row = await db.kysely
      .selectFrom('channels')
      .select('created_by')
      .where('id', '=', 'dai-xa-tan-lap')
      .executeTakeFirstOrThrow();
    await db.close();
    expect(row.created_by).toBe('Cán bộ An');
  });
});
