import { createAdapters } from '../channels';
import { withdrawAs } from '../src/actions/items';
import type { Actor } from '../src/domain/access';
import type { Db } from '../src/store';
import { saveChannel } from '../src/store/channels';
import { schedulePublications } from '../src/store/publications';
import { recordOutcomeAndSettle, recordPlatformPost } from '../src/store/publish-protocol';
import { type Accounts, call, PASSWORD, PEOPLE, seedAccounts } from './support/accounts';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { claimOrThrow } from './support/protocol';
import { seedItems } from './support/seed';
import { serveForTest } from './support/server';
import { envFor, runLoa, testConfig } from './support/services';

const OFFICER: Actor = { name: PEOPLE.officer.name, role: 'officer', unitId: 'ubnd-xa-tan-lap', source: 'CLI' };

// Set-up hashes several passwords (scrypt) and starts a server and a CLI process: slow on a busy 2-core machine.
jest.setTimeout(120_000);

/**
 * The ledger shown: `loa log`, `/api/log` and the desk's log say, per publication, what exists where
 * (id, URL), which follow-up steps are done or pending, and what a person must remove by hand.
 */
describe.each(DATABASE_KINDS)('the ledger in the log on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;
  let config: ReturnType<typeof testConfig>;
  let server: Awaited<ReturnType<typeof serveForTest>>;
  let accounts: Accounts;
  /** A Zalo article live while its broadcast waits; one broadcast; one withdrawn and left for a person. */
  let waiting: string;
  let broadcast: string;
  let removal: string;
  let script: string;

  /** Claims, records what the platform created, and settles as an adapter would. */
  async function asAdapter(
    id: string,
    posts: Array<[string, string, string | null]>,
    settle: 'published' | 'retry',
  ): Promise<void> {
    const answer = await claimOrThrow(db.kysely, id, 'w');
    for (const [postKind, externalId, externalUrl] of posts)
      await recordPlatformPost(db.kysely, answer.claim, { kind: postKind, externalId, externalUrl });
    await recordOutcomeAndSettle(
      db.kysely,
      answer.claim,
      settle === 'published'
        ? {
            kind: 'published',
            attemptOutcome: 'published',
            externalId: posts[0]![1],
            externalUrl: posts[0]![2],
            content: 'nội dung',
            title: 'tiêu đề',
          }
        : { kind: 'retry', reason: 'chờ sáng để gửi tin' },
    );
  }

  beforeAll(async () => {
    database = await freshDatabase(kind);
    config = testConfig(database.url);
    db = await openStore(database.url, { defaultUnit: config.defaultUnit });
    accounts = await seedAccounts(db.kysely);
    await saveChannel(
      db.kysely,
      { id: 'oa-xa', unitId: 'ubnd-xa-tan-lap', platform: 'zalo', name: 'OA xã', settings: {} },
      'cán bộ A',
    );
    const items = await seedItems(db.kysely, 3);
    const { created } = await schedulePublications(
      db.kysely,
      items.map((itemId) => ({ itemId, channelId: 'oa-xa', scheduledAt: new Date(Date.now() - 60_000) })),
      'cán bộ A',
    );
    [waiting, broadcast, removal] = created.map((p) => p.id) as [string, string, string];
    await asAdapter(waiting, [['post', 'art-1', 'https://oa.zalo.me/art-1']], 'retry');
    await asAdapter(
      broadcast,
      [
        ['post', 'art-2', 'https://oa.zalo.me/art-2'],
        ['broadcast', 'bc-2', null],
      ],
      'published',
    );
    await asAdapter(removal, [['post', 'art-3', 'https://oa.zalo.me/art-3']], 'published');
    const onAir = await schedulePublications(
      db.kysely,
      [{ itemId: items[0]!, channelId: 'radio', scheduledAt: new Date(Date.now() - 60_000) }],
      'cán bộ A',
    );
    script = onAir.created[0]!.id;
    await asAdapter(script, [['post', `radio/radio/${script}.txt`, null]], 'published');
    await withdrawAs(db.kysely, OFFICER, createAdapters(config), items[2]!, 'thông tin đã thay đổi');
    server = await serveForTest(db, database, config);
  });
  afterAll(() => server.close());

  test('/api/log: each line carries its publication ledger', async () => {
    const res = await call(server.base, 'GET', '/api/log?channel=oa-xa', accounts.token.supervisor);
    expect(res.status).toBe(200);
    const byId = new Map<string, { ledger: Record<string, unknown> }>(
      (res.body as Array<{ publicationId: string; ledger: Record<string, unknown> }>).map((e) => [e.publicationId, e]),
    );
    expect(byId.get(waiting)!.ledger).toMatchObject({
      posts: [{ kind: 'post', externalId: 'art-1', externalUrl: 'https://oa.zalo.me/art-1', state: 'live' }],
      followUpsDone: [],
      followUpPending: true,
      removeByHand: [],
    });
    expect(byId.get(broadcast)!.ledger).toMatchObject({
      posts: [
        { kind: 'post', externalId: 'art-2', state: 'live' },
        { kind: 'broadcast', externalId: 'bc-2', externalUrl: null, state: 'live' },
      ],
      followUpsDone: ['broadcast'],
      followUpPending: false,
      removeByHand: [],
    });
    expect(byId.get(removal)!.ledger).toMatchObject({
      posts: [{ kind: 'post', externalId: 'art-3', state: 'remove-by-hand' }],
      removeByHand: [expect.stringContaining('https://oa.zalo.me/art-3')],
    });
  });

  test("the desk's log shows what exists where, what waits and what to remove by hand", async () => {
    const signIn = await fetch(`${server.base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: PEOPLE.supervisor.name, password: PASSWORD }),
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const html = await (await fetch(`${server.base}/desk/nhat-ky?kenh=oa-xa`, { headers: { cookie } })).text();
    expect(html).toContain('<a href="https://oa.zalo.me/art-1" rel="noopener noreferrer">art-1</a>');
    expect(html).toContain('Bước sau (ví dụ gửi tin): đang chờ');
    expect(html).toContain('broadcast: bc-2');
    expect(html).toMatch(/Cần gỡ bằng tay:<\/strong> <small>[^<]*https:\/\/oa\.zalo\.me\/art-3/);
    // A post written to be heard (its adapter makes listening copies: the station's) links its script; others do not.
    expect(html).not.toContain('Kịch bản phát thanh');
    const station = await (await fetch(`${server.base}/desk/nhat-ky?kenh=radio`, { headers: { cookie } })).text();
    expect(station).toContain(`<a href="/desk/kich-ban/${script}">Kịch bản phát thanh</a>`);
  });

  test('loa log prints the ledger column', async () => {
    const out = await runLoa(['log', '--channel', 'oa-xa'], envFor(config));
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Trên nền tảng (sổ ghi)');
    expect(out.stdout).toContain('bước sau: đang chờ');
    expect(out.stdout).toContain('broadcast bc-2');
    expect(out.stdout).toContain('CẦN GỠ BẰNG TAY');
  });
});
