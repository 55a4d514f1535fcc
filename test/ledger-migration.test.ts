import { type Kysely, sql } from 'kysely';

import { createAdapters } from '../channels';
import { Templates } from '../channels/template';
import { migrate } from '../src/store/migrate';
import { moveIn } from '../src/store/migrations/0014-platform-ledger';
import { getPublication } from '../src/store/publications';
import { publishOne } from '../worker/publish-job';
import { DATABASE_KINDS, freshDatabase } from './support/databases';
import { FakePlatform, FakePlatformAdapter } from './support/fake-platform';
import { openSchemaAt, openStore } from './support/open-store';
import { testConfig } from './support/services';

const UNIT = 'ubnd-xa-tan-lap';
const AREA = 'thu-tuc-hanh-chinh';
const T0 = Date.parse('2026-03-02T01:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** One publication as the release before the ledger (schema 0013) stored it, with its attempts. */
interface OldPublication {
  id: string;
  channel: 'trang-xa' | 'oa-xa';
  state: string;
  externalId?: string;
  externalUrl?: string;
  publishedAt?: string;
  leaseUntil?: string;
  attempts: Array<{ outcome: string; externalId?: string; steps?: Record<string, string> }>;
}

/** Publications in every state of that release, ids where it kept them: on the publication, or in an attempt's steps. */
const OLD: OldPublication[] = [
  {
    id: 'p-published',
    channel: 'trang-xa',
    state: 'published',
    externalId: 'post-1',
    externalUrl: 'https://fb/post-1',
    publishedAt: at(1),
    attempts: [{ outcome: 'published', externalId: 'post-1' }],
  },
  // Before the ledger, reconciliation could give a second publication the first one's post.
  {
    id: 'p-same-post',
    channel: 'trang-xa',
    state: 'published',
    externalId: 'post-1',
    externalUrl: 'https://fb/post-1',
    publishedAt: at(2),
    attempts: [{ outcome: 'reconciled', externalId: 'post-1' }],
  },
  {
    id: 'p-withdrawn',
    channel: 'trang-xa',
    state: 'withdrawn',
    externalId: 'post-2',
    externalUrl: 'https://fb/post-2',
    publishedAt: at(3),
    attempts: [{ outcome: 'published', externalId: 'post-2' }],
  },
  // A Zalo article live while its broadcast waits for the morning: queued, its ids only in the attempt's steps.
  {
    id: 'p-zalo-queued',
    channel: 'oa-xa',
    state: 'queued',
    attempts: [{ outcome: 'retry', steps: { token: 'job-9', article: 'art-9', 'article-url': 'https://zalo/art-9' } }],
  },
  // Published and broadcast: the article's id both on the publication and in the steps (once in the ledger).
  {
    id: 'p-zalo-published',
    channel: 'oa-xa',
    state: 'published',
    externalId: 'art-5',
    externalUrl: 'https://zalo/art-5',
    publishedAt: at(5),
    attempts: [
      {
        outcome: 'published',
        externalId: 'art-5',
        steps: { token: 'job-5', article: 'art-5', 'article-url': 'https://zalo/art-5', broadcast: 'bc-5' },
      },
    ],
  },
  {
    id: 'p-zalo-unconfirmed',
    channel: 'oa-xa',
    state: 'unconfirmed',
    attempts: [
      { outcome: 'unconfirmed', steps: { token: 'job-7', article: 'art-7', 'article-url': 'https://zalo/art-7' } },
    ],
  },
  // A Facebook post accepted whose outcome was never written: publishing, its lease run out, no id anywhere.
  {
    id: 'p-interrupted',
    channel: 'trang-xa',
    state: 'publishing',
    leaseUntil: '2000-01-01T00:00:00.000Z',
    attempts: [{ outcome: 'started' }],
  },
  { id: 'p-failed', channel: 'oa-xa', state: 'failed', attempts: [{ outcome: 'failed', steps: { token: 'job-x' } }] },
  { id: 'p-scheduled', channel: 'trang-xa', state: 'scheduled', attempts: [] },
  { id: 'p-cancelled', channel: 'trang-xa', state: 'cancelled', attempts: [] },
  { id: 'p-expired', channel: 'oa-xa', state: 'expired', attempts: [] },
];

/** What the ledger must hold after the upgrade: each id once, owned by the publication that recorded it first. */
const EXPECTED = [
  ['p-published', 'post', 'post-1', 'https://fb/post-1', 'live'],
  ['p-withdrawn', 'post', 'post-2', 'https://fb/post-2', 'removed'],
  ['p-zalo-queued', 'post', 'art-9', 'https://zalo/art-9', 'live'],
  ['p-zalo-published', 'post', 'art-5', 'https://zalo/art-5', 'live'],
  ['p-zalo-published', 'broadcast', 'bc-5', null, 'live'],
  ['p-zalo-unconfirmed', 'post', 'art-7', 'https://zalo/art-7', 'live'],
];

/** The release before's rows, written with SQL of its schema (not with today's store code, which writes newer columns). */
async function writeOldRelease(db: Kysely<unknown>): Promise<void> {
  const created = at(0);
  await sql`insert into units (id, name, created_at) values (${UNIT}, ${'UBND xã Tân Lập'}, ${created})`.execute(db);
  await sql`insert into content_areas (key, name) values (${AREA}, ${'Thủ tục hành chính'})`.execute(db);
  for (const [id, platform, name] of [
    ['trang-xa', 'facebook', 'Trang xã'],
    ['oa-xa', 'zalo', 'OA xã'],
  ]) {
    await sql`insert into channels (id, unit_id, platform, name, settings, created_at)
      values (${id}, ${UNIT}, ${platform}, ${name}, ${'{}'}, ${created})`.execute(db);
  }
  await sql`insert into plans (title, source_name, source_hash, structure, imported_by, created_at, updated_at)
    values (${'Kế hoạch'}, ${'kh.docx'}, ${'hash-0013'}, ${'{}'}, ${'cán bộ A'}, ${created}, ${created})`.execute(db);
  const plan = await sql<{ id: number }>`select id from plans`.execute(db);
  for (const [n, old] of OLD.entries()) {
    await sql`insert into content_items
        (plan_id, area_key, unit_id, title, body, author, approved_by, approved_at, created_at, updated_at)
      values (${plan.rows[0]!.id}, ${AREA}, ${UNIT}, ${`Bài ${n + 1}`}, ${'nội dung'}, ${'cán bộ A'},
        ${'lãnh đạo B'}, ${created}, ${created}, ${created})`.execute(db);
    const item = await sql<{ id: number }>`select max(id) as id from content_items`.execute(db);
    await sql`insert into publications
        (id, item_id, channel_id, scheduled_at, state, content, external_id, external_url, attempts, queued_by,
         claimed_by, lease_until, published_at, created_at, updated_at)
      values (${old.id}, ${item.rows[0]!.id}, ${old.channel}, ${at(n)}, ${old.state},
        ${old.publishedAt ? 'bài cũ' : null}, ${old.externalId ?? null}, ${old.externalUrl ?? null},
        ${old.attempts.length}, ${'cán bộ A'}, ${old.leaseUntil ? 'w' : null}, ${old.leaseUntil ?? null},
        ${old.publishedAt ?? null}, ${created}, ${old.publishedAt ?? created})`.execute(db);
    for (const [i, attempt] of old.attempts.entries()) {
      await sql`insert into publish_attempts
          (publication_id, attempt_no, worker, started_at, finished_at, outcome, external_id, steps)
        values (${old.id}, ${i + 1}, ${'w'}, ${at(n)}, ${attempt.outcome === 'started' ? null : at(n)},
          ${attempt.outcome}, ${attempt.externalId ?? null},
          ${attempt.steps ? JSON.stringify(attempt.steps) : null})`.execute(db);
    }
  }
}

/**
 * Upgrading a database written by the release before the ledger (schema 0013): every external id and every id an
 * attempt recorded mid-way moves into the ledger, once, owned by the right publication; running the move again adds
 * nothing; nothing published is lost or sent again.
 */
describe.each(DATABASE_KINDS)('the ledger migration on %s', (kind) => {
  test('moves published ids and Zalo steps in, each once, idempotently; an interrupted post is not sent again', async () => {
    const database = await freshDatabase(kind);
    const config = testConfig(database.url, { defaultUnit: UNIT });
    const platform = await new FakePlatform().start();
    let upgraded: Awaited<ReturnType<typeof openStore>> | undefined;
    try {
      const old = await openSchemaAt(database.url, '0013-cheaper-report-triggers');
      try {
        await writeOldRelease(old.kysely as Kysely<unknown>);
      } finally {
        await old.close();
      }

      upgraded = await openStore(database.url, { defaultUnit: UNIT });
      const db = upgraded.kysely;
      const ledger = async () =>
        (
          await db
            .selectFrom('platform_posts')
            .select(['publication_id', 'kind', 'external_id', 'external_url', 'state'])
            .orderBy('id')
            .execute()
        )
          .map((r) => [r.publication_id, r.kind, r.external_id, r.external_url, r.state])
          .sort((a, b) => OLD.findIndex((o) => o.id === a[0]) - OLD.findIndex((o) => o.id === b[0]));
      expect(await ledger()).toEqual(EXPECTED);
      await moveIn(db); // again: nothing added, nothing changed
      await moveIn(db);
      expect(await ledger()).toEqual(EXPECTED);
      expect(await migrate(upgraded)).toEqual([]);
      // Nothing stored was lost: the second publication that recorded post-1 keeps its columns.
      expect(await getPublication(db, 'p-same-post')).toMatchObject({ state: 'published', externalId: 'post-1' });

      // The interrupted one: the platform has its post; the upgraded worker reconciles instead of sending again.
      platform.posts.push({ id: 'post-7', ref: 'p-interrupted', text: 'bài cũ', at: Date.now() });
      class FixedText extends FakePlatformAdapter {
        override render(): Promise<string> {
          return Promise.resolve('bài cũ');
        }
      }
      const adapter = new FixedText(new Templates(config.templatesDir), () => platform.url);
      const deps = {
        db,
        adapters: { ...createAdapters(config), facebook: adapter },
        worker: 'w2',
        log: () => undefined,
      };
      expect(await publishOne(deps, 'p-interrupted', false)).toBe('reconciled');
      // A published one is not sent again.
      expect(await publishOne(deps, 'p-published', false)).toBe('already-done');
      expect(platform.requests).toHaveLength(0);
      expect(await getPublication(db, 'p-interrupted')).toMatchObject({ state: 'published', externalId: 'post-7' });
      expect(await getPublication(db, 'p-published')).toMatchObject({ state: 'published', externalId: 'post-1' });
    } finally {
      await platform.stop();
      await upgraded?.close();
      await database.drop();
    }
  });
});
