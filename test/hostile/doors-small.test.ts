/**
 * Issue 27, the smaller findings, each at the doors where it applies: 6 (CSV formulas, CLI report and desk download),
 * 11 (addresses with credentials in channel settings; the portal channel takes no settings), 12 (an unknown feed),
 * 13 (another unit's draft audio), 19 (a 101-character channel id, a system error in the publish log), 20 (loa audit
 * --unit of a unit Loa lacks) and 21 (loa say and control characters).
 */
import fs from 'node:fs';
import path from 'node:path';

import { parse as parseCsv } from 'csv-parse/sync';

import { createAdapters } from '../../channels';
import { FeedCache } from '../../src/http/feed-cache';
import { listAttempts } from '../../src/store/attempts';
import { listChannels, saveChannel } from '../../src/store/channels';
import { getPublication, schedulePublications } from '../../src/store/publications';
import { publishOne } from '../../worker/publish-job';
import { publish, vn } from '../report/known-log';
import { HOME } from '../support/accounts';
import { seedItems } from '../support/seed';
import { type Doors, openDoors, pageText } from './doors';

/** Cells a spreadsheet would run as formulas (OWASP's examples). */
const FORMULAS = ['=1+1', "-2+3+cmd|' /C calc'!A0", '@SUM(A1:A2)', '+1', '\tsau tab', '\rsau CR'];

describe('the smaller hostile findings at their doors', () => {
  let doors: Doors;
  beforeAll(async () => {
    doors = await openDoors('sqlite');
    // Failed publications whose reasons are formulas: the report's "Không đăng được: lý do" lists them.
    const items = await seedItems(doors.db.kysely, FORMULAS.length);
    for (const [i, formula] of FORMULAS.entries())
      await publish(doors.db.kysely, items[i]!, 'rss', vn(`2026-02-0${i + 1} 08:00`), [
        { outcome: 'failed', after: 2, reason: formula },
      ]);
  });
  afterAll(() => doors.close());

  /** Every cell of a CSV that starts with a formula character once its leading apostrophe (if any) is read. */
  const formulaCells = (csv: string) =>
    (parseCsv(csv.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][])
      .flat()
      .filter((cell) => /^[=+\-@\t\r]/.test(cell));

  test('CSV (finding 6): loa report --format csv writes no cell a spreadsheet would run', async () => {
    const file = path.join(doors.config.exportDir, 'bao-cao.csv');
    const result = await doors.cli(['report', '--period', '2026-Q1', '--format', 'csv', '--output', file]);
    expect(result.stderr).toBe('');
    const csv = fs.readFileSync(file, 'utf8');
    for (const formula of FORMULAS.slice(0, 4)) expect(csv).toContain(`'${formula.replace(/"/g, '""')}`);
    expect(formulaCells(csv)).toEqual([]);
  });

  test("CSV (finding 6): the desk's download is the same, for a supervisor", async () => {
    const res = await doors.deskGet('supervisor', '/desk/bao-cao/tai-ve.csv?ky=2026-Q1');
    expect(res.status).toBe(200);
    const csv = await res.text();
    expect(csv).toContain("'=1+1");
    expect(formulaCells(csv)).toEqual([]);
  });

  const zalo = (settings: Record<string, unknown>) => ({
    unit: HOME,
    platform: 'zalo',
    name: 'Zalo OA xã',
    settings,
  });
  const CREDENTIALS = { coverUrl: 'https://nguoi:matkhau@anh.xa.gov.vn/bia.jpg' };

  test('channel settings (finding 11): an address with a password is refused at every door, nothing stored', async () => {
    const before = await listChannels(doors.db.kysely);
    const api = await doors.api('admin', 'PUT', '/api/channels/zalo-xa', zalo(CREDENTIALS));
    expect(api.status).toBe(400);
    expect(api.body).toMatchObject({
      error: { field: 'settings.coverUrl', message: expect.stringMatching(/tên đăng nhập hoặc mật khẩu/) },
    });
    const desk = await doors.desk('admin', '/desk/quan-tri/kenh', {
      id: 'zalo-xa',
      unit: HOME,
      platform: 'zalo',
      name: 'Zalo OA xã',
      settings: JSON.stringify(CREDENTIALS),
    });
    expect(new URL(desk.location!, doors.base).searchParams.get('loi')).toMatch(
      /^settings\.coverUrl: .*tên đăng nhập hoặc mật khẩu/,
    );
    const cli = await doors.cli([
      ...['channels', 'add', '--id', 'zalo-xa', '--unit', HOME, '--platform', 'zalo', '--name', 'Zalo OA xã'],
      ...['--settings', JSON.stringify(CREDENTIALS)],
    ]);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toMatch(/settings\.coverUrl": .*tên đăng nhập hoặc mật khẩu/);
    expect(await listChannels(doors.db.kysely)).toEqual(before);
  });

  test('channel settings (finding 11): one saved before the rule is shown masked, by the API, the desk and the CLI', async () => {
    await saveChannel(
      doors.db.kysely,
      { id: 'zalo-cu', unitId: HOME, platform: 'zalo', name: 'Zalo cũ', settings: CREDENTIALS },
      'kiểm thử',
    );
    const api = await doors.api('admin', 'GET', '/api/channels');
    expect(JSON.stringify(api.body)).not.toContain('matkhau');
    expect(JSON.stringify(api.body)).toContain('https://***@anh.xa.gov.vn/bia.jpg');
    const desk = await (await doors.deskGet('admin', '/desk/quan-tri/kenh')).text();
    expect(desk).toContain('***@anh.xa.gov.vn');
    expect(desk).not.toContain('matkhau');
    const cli = await doors.cli(['channels', '--json']);
    expect(cli.stdout).toContain('***@anh.xa.gov.vn');
    expect(cli.stdout).not.toContain('matkhau');
  });

  test('channel settings (finding 11): the portal channel takes no settings key', async () => {
    const api = await doors.api('admin', 'PUT', '/api/channels/cong-moi', {
      unit: HOME,
      platform: 'rss',
      name: 'Cổng mới',
      settings: { bat_ky: 'gì' },
    });
    expect(api.status).toBe(400);
    expect(api.body).toMatchObject({ error: { field: 'settings', message: expect.stringMatching(/"bat_ky"/) } });
    expect((await listChannels(doors.db.kysely)).map((c) => c.id)).not.toContain('cong-moi');
  });

  test('feeds (finding 12): /rss/<unknown>.xml is 404 in Vietnamese and takes no place in the cache', async () => {
    const res = await fetch(`${doors.base}/rss/khong-co-kenh-nay.xml`);
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/Không có kênh cổng thông tin "khong-co-kenh-nay"/);
    // Not a portal channel either: the station's id.
    expect((await fetch(`${doors.base}/rss/radio.xml`)).status).toBe(404);
    expect((await fetch(`${doors.base}/rss/rss.xml`)).status).toBe(200);
    const feeds = new FeedCache(doors.db, doors.config, { freshnessMs: 1000 });
    for (let i = 0; i < 20; i++) expect(await feeds.get(`khong-${i}`, `/rss/khong-${i}.xml`)).toBeNull();
    expect((feeds as unknown as { feeds: Map<string, unknown> }).feeds.size).toBe(0);
  });

  test('ids (finding 19): a 101-character channel id is refused in Vietnamese, not 414', async () => {
    const res = await doors.api('admin', 'PUT', `/api/channels/${'a'.repeat(101)}`, zalo({}));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/mã kênh dài quá 100 ký tự/);
    expect(JSON.stringify(res.body)).not.toMatch(/FST_ERR|exceeds/);
    const post = await fetch(`${doors.base}/posts/${'a'.repeat(201)}`);
    expect(post.status).toBe(400);
    expect(await post.text()).toMatch(/Mã bài đăng: dài quá 200 ký tự/);
  });

  test('audit (finding 20): loa audit --unit of a unit Loa lacks is refused naming it', async () => {
    const result = await doors.cli(['audit', '--unit', 'khong-co-don-vi']);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/"--unit".*đơn vị "khong-co-don-vi" chưa có trong Loa/);
  });

  test('loa say (finding 21): ESC, NUL and bidi controls never reach its output', async () => {
    const result = await doors.cli(['say', '--canh-bao'], 'Xã\u001b[2J Tân\u0000 Lập\u202e họp lúc 8h\u2066\n');
    expect(result.code).toBe(0);
    // eslint-disable-next-line no-control-regex -- the characters looked for
    expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
    expect(result.stdout).toMatch(/Xã.*Tân.*Lập/);
    expect(result.stderr).toMatch(/dòng 1: đã bỏ ký tự điều khiển/);
  });

  test('publish log (finding 19): a system error is said in Vietnamese, with its code and path', async () => {
    const [itemId] = await seedItems(doors.db.kysely, 1);
    const { created } = await schedulePublications(
      doors.db.kysely,
      [{ itemId: itemId!, channelId: 'rss', scheduledAt: new Date() }],
      'cán bộ A',
    );
    const adapters = createAdapters(doors.config);
    const taken = path.join(doors.config.exportDir, 'da-co');
    fs.writeFileSync(taken, '');
    // A real EEXIST from the file system, as a station folder where a file stands gives one.
    adapters.rss = Object.assign(Object.create(adapters.rss!) as NonNullable<typeof adapters.rss>, {
      publish: async (): Promise<never> => {
        fs.mkdirSync(taken);
        throw new Error('mkdir should have failed');
      },
    });
    await expect(
      publishOne({ db: doors.db.kysely, adapters, worker: 'w1', log: () => undefined }, created[0]!.id, true),
    ).rejects.toThrow();
    const publication = await getPublication(doors.db.kysely, created[0]!.id);
    expect(publication.state).toBe('failed');
    expect(publication.reason).toBe(`đã có tệp hoặc thư mục cùng tên ở đó (EEXIST khi mkdir "${taken}")`);
    expect((await listAttempts(doors.db.kysely, created[0]!.id)).at(-1)?.error).toBe(publication.reason);
    const log = await doors.cli(['log', '--json']);
    expect(log.stdout).toContain('đã có tệp hoặc thư mục cùng tên ở đó (EEXIST');
    expect(log.stdout).not.toMatch(/file already exists/);
  });

  test("draft audio (finding 13): another unit's officer cannot hear a unit's draft", async () => {
    const page = await doors.desk('officer', '/desk/bai-viet/moi', {
      action: 'xem-truoc',
      plan: '1',
      area: 'thu-tuc-hanh-chinh',
      title: 'Lịch tiếp công dân',
      body: 'Nội dung chỉ đơn vị này được nghe trước khi đăng.',
      channels: 'radio',
    });
    const url = /\/desk\/nghe-thu\/[0-9a-f]{64}\.wav/.exec(page.html)?.[0];
    expect(url).toBeDefined();
    expect((await doors.deskGet('otherOfficer', url!)).status).toBe(404);
    const own = await doors.deskGet('officer', url!);
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('audio/wav');
    expect((await doors.deskGet('otherOfficer', url!)).status).toBe(404); // made and cached: still not theirs
    expect(pageText(page.html)).toMatch(/Lịch tiếp công dân/);
  });
});
