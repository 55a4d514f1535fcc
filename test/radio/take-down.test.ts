import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { type Adapters, createAdapters } from '../../channels';
import { withdrawAs } from '../../src/actions/items';
import type { Actor } from '../../src/domain/access';
import type { Db } from '../../src/store';
import { getPublication, schedulePublications } from '../../src/store/publications';
import { publishOne } from '../../worker/publish-job';
import { type Accounts, call, HOME, PASSWORD, PEOPLE, seedAccounts } from '../support/accounts';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases';
import { openStore } from '../support/open-store';
import { seedItems } from '../support/seed';
import { serveForTest } from '../support/server';
import { envFor, runLoa, testConfig } from '../support/services';
import { publishDeps } from '../support/store-fixture';

// Set-up hashes several passwords (scrypt) and starts a server: slow on a busy 2-core machine.
jest.setTimeout(120_000);

const OFFICER: Actor = { name: PEOPLE.officer.name, role: 'officer', unitId: HOME, source: 'CLI' };
const STATION = 'Đài truyền thanh UBND xã Tân Lập';
/** `h:m` Vietnam time on `day` of November 2026. */
const at = (day: number, h: number, m: number) => new Date(Date.UTC(2026, 10, day, h - 7, m));
const TITLES = [
  'Thông báo sẽ rút',
  'Lịch tiếp công dân',
  'Bài đăng sau khi rút',
  'Bài sau khi mất thư mục',
  'Kịch bản rút trên bàn làm việc',
  'Kịch bản rút qua API',
  'Kịch bản rút bằng lệnh',
];

describe.each(DATABASE_KINDS)('withdrawing takes a radio script off the station on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;
  let server: Awaited<ReturnType<typeof serveForTest>>;
  let accounts: Accounts;
  let exportDir: string;
  let config: ReturnType<typeof testConfig>;
  /** The worker's adapters: they restore a day's scripts from the database when files are lost. */
  let worker: ReturnType<typeof publishDeps>;
  /** Another process's adapters (the CLI, the API, the desk), as withdrawals get them. */
  let desk: Adapters;
  let items: number[];
  let ids: string[];

  const base = (index: number) => {
    const { externalId } = published[index]!;
    return path.join(exportDir, externalId!.slice(0, -'.txt'.length));
  };
  const published: Array<{ externalId: string | null }> = [];
  const programme = (day: string) => fs.readFileSync(path.join(exportDir, 'radio', 'radio', `${day}.txt`), 'utf8');
  const programmeDocx = (day: string) =>
    execFileSync('unzip', ['-p', path.join(exportDir, 'radio', 'radio', `${day}.docx`), 'word/document.xml'], {
      encoding: 'utf8',
    });
  const publish = async (index: number) => {
    expect(await publishOne(worker, ids[index]!, false)).toBe('published');
    await worker.adapters.radio!.flush!();
    published[index] = await getPublication(db.kysely, ids[index]!);
  };

  beforeAll(async () => {
    database = await freshDatabase(kind);
    config = testConfig(database.url);
    exportDir = config.exportDir;
    db = await openStore(database.url, { defaultUnit: config.defaultUnit });
    accounts = await seedAccounts(db.kysely);
    await db.kysely
      .updateTable('channels')
      .set({ settings: JSON.stringify({ preview: false }) })
      .where('id', '=', 'radio')
      .execute();
    items = await seedItems(db.kysely, TITLES.length);
    for (const [i, title] of TITLES.entries())
      await db.kysely.updateTable('content_items').set({ title }).where('id', '=', items[i]!).execute();
    const times = [
      at(23, 5, 30),
      at(23, 5, 45),
      at(23, 16, 0),
      at(23, 17, 0),
      at(24, 5, 30),
      at(25, 5, 30),
      at(26, 5, 30),
    ];
    const { created } = await schedulePublications(
      db.kysely,
      times.map((scheduledAt, i) => ({ itemId: items[i]!, channelId: 'radio', scheduledAt })),
      'cán bộ A',
    );
    ids = created.map((p) => p.id);
    worker = publishDeps(db, config);
    desk = createAdapters(config);
    server = await serveForTest(db, database, config);
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(exportDir, { recursive: true, force: true });
  });

  test('the withdrawn script, its sidecar and WAV are deleted and the day programme (.txt and .docx) no longer lists it; the other script of the day stays', async () => {
    await publish(0);
    await publish(1);
    fs.writeFileSync(`${base(0)}.wav`, 'RIFF'); // as if someone had listened to it (audioPreview)
    expect(programme('2026-11-23')).toContain(TITLES[0]);
    expect(programmeDocx('2026-11-23')).toContain(TITLES[0]);

    const result = await withdrawAs(db.kysely, OFFICER, desk, items[0]!, 'Thông tin đã thay đổi');
    expect(result.withdrawn.map((p) => p.id)).toEqual([ids[0]]);
    expect(result.removeByHand).toEqual([]);
    expect((await getPublication(db.kysely, ids[0]!)).state).toBe('withdrawn');
    for (const ext of ['.txt', '.json', '.wav']) expect(fs.existsSync(`${base(0)}${ext}`)).toBe(false);
    for (const ext of ['.txt', '.json']) expect(fs.existsSync(`${base(1)}${ext}`)).toBe(true);
    expect(programme('2026-11-23')).not.toContain(TITLES[0]);
    expect(programme('2026-11-23')).toContain(TITLES[1]);
    // Written at once, not put off: the withdrawing process (the CLI) may exit right after.
    expect(programmeDocx('2026-11-23')).not.toContain(TITLES[0]);
    expect(programmeDocx('2026-11-23')).toContain(TITLES[1]);
  });

  test('a later publish on that day does not bring it back, nor does rebuilding the day from the database after its folder is lost', async () => {
    await publish(2);
    expect(fs.existsSync(`${base(0)}.txt`)).toBe(false);
    expect(programme('2026-11-23')).not.toContain(TITLES[0]);
    expect(programme('2026-11-23')).toContain(TITLES[2]);

    fs.rmSync(path.join(exportDir, 'radio'), { recursive: true, force: true });
    await publish(3);
    const text = programme('2026-11-23');
    for (const title of TITLES.slice(1, 4)) expect(text).toContain(title); // restored from the database…
    expect(text).not.toContain(TITLES[0]); // …but only what is still published
    expect(fs.existsSync(`${base(0)}.txt`)).toBe(false);
    expect(programmeDocx('2026-11-23')).not.toContain(TITLES[0]);
  });

  test('a script that cannot be deleted: the desk withdraws it anyway and tells the officer which station to remove it from by hand', async () => {
    await publish(4);
    // A failure root cannot override (chmod does not stop root): the script's path is now a folder.
    fs.rmSync(`${base(4)}.txt`);
    fs.mkdirSync(`${base(4)}.txt`);
    const session = await fetch(`${server.base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: PEOPLE.officer.name, password: PASSWORD }),
    });
    const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await session.json()) as { csrfToken: string };
    const page = await fetch(`${server.base}/desk/bai-viet/${items[4]}/rut`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrfToken, reason: 'Đọc nhầm ngày' }).toString(),
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('cần gỡ bằng tay');
    expect(html).toContain(
      `Đài &quot;${STATION}&quot;: không xoá được kịch bản radio/radio/2026-11-24/0530-${ids[4]}.txt (đường dẫn là một thư mục`,
    );
    expect(html).toContain('bỏ bài khỏi chương trình ngày 24/11/2026 bằng tay');
    expect((await getPublication(db.kysely, ids[4]!)).state).toBe('withdrawn');
  });

  test('POST /api/items/:id/withdraw says the same in removeByHand; the withdrawal stands', async () => {
    await publish(5);
    fs.rmSync(`${base(5)}.txt`);
    fs.mkdirSync(`${base(5)}.txt`);
    const res = await call(server.base, 'POST', `/api/items/${items[5]}/withdraw`, accounts.token.officer, {
      reason: 'Sai số liệu',
    });
    expect(res.status).toBe(200);
    expect(res.body.withdrawn.map((p: { id: string; state: string }) => [p.id, p.state])).toEqual([
      [ids[5], 'withdrawn'],
    ]);
    expect(res.body.removeByHand).toEqual([
      {
        publicationId: ids[5],
        channelId: 'radio',
        channelName: STATION,
        externalUrl: null,
        reason: expect.stringMatching(
          new RegExp(
            `^Đài "${STATION}": không xoá được kịch bản radio/radio/2026-11-25/0530-${ids[5]}\\.txt \\(đường dẫn là một thư mục, (ERR_FS_)?EISDIR\\): hãy xoá tệp`,
          ),
        ),
      },
    ]);
    expect((await getPublication(db.kysely, ids[5]!)).withdrawal).toMatchObject({
      by: PEOPLE.officer.name,
      reason: 'Sai số liệu',
    });
    // Nothing else was touched: the programme of that day still lists it, and says so on the page above.
    expect(programme('2026-11-25')).toContain(TITLES[5]);
  });

  test('loa items withdraw: withdrawn in the database, the file removed where it can be, what cannot is printed for the officer', async () => {
    await publish(6);
    fs.rmSync(`${base(6)}.txt`);
    fs.mkdirSync(`${base(6)}.txt`);
    const result = await runLoa(
      ['items', 'withdraw', String(items[6]), '--reason', 'Trùng bài'],
      envFor(config, { LOA_USER: PEOPLE.officer.name }),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Còn 1 bài Loa không tự gỡ được, cần gỡ bằng tay:');
    expect(result.stdout).toContain(
      `- ${ids[6]}: Đài "${STATION}": không xoá được kịch bản radio/radio/2026-11-26/0530-${ids[6]}.txt`,
    );
    expect((await getPublication(db.kysely, ids[6]!)).state).toBe('withdrawn');
  });
});
