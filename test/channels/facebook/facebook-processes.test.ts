import fs from 'node:fs';

import { sql } from 'kysely';

import type { Config } from '../../../src/config';
import { FakeGraphApi } from '../../../src/demo/fake-graph-api';
import type { Db } from '../../../src/store';
import { listAttempts } from '../../../src/store/attempts';
import { setChannelSecret } from '../../../src/store/channel-secrets';
import { getPublication, listPublications, schedulePublications } from '../../../src/store/publications';
import { secretKeyFromEnv } from '../../../src/store/secret-cipher';
import { DATABASE_KINDS, type TestDatabase } from '../../support/databases';
import { saveCommunePage } from '../../support/seed';
import { envFor, runLoa, startWorkerProcess, stopChild, waitFor } from '../../support/services';
import { type FreshStore, freshStore } from '../../support/store-fixture';
import { approvedItem, fakeToken, PAGE, SECRET_KEY } from './facebook-support';

jest.setTimeout(300_000);

/** Everything the database holds, as text, to grep for a token in clear. */
async function databaseText(db: Db, database: TestDatabase): Promise<string> {
  if (db.dialect === 'sqlite') {
    return ['', '-wal']
      .map((suffix) =>
        fs.existsSync(database.url + suffix) ? fs.readFileSync(database.url + suffix).toString('latin1') : '',
      )
      .join('\n');
  }
  const tables = ['units', 'plans', 'channels', 'content_items', 'publications', 'publish_attempts'];
  const dumps = await Promise.all(
    tables.map((t) =>
      sql<{ row: string }>`select row_to_json(t)::text as row from ${sql.table(t)} t`.execute(db.kysely),
    ),
  );
  return dumps.flatMap((d) => d.rows.map((r) => r.row)).join('\n');
}

describe.each(DATABASE_KINDS)('Facebook with worker processes on %s', (kind) => {
  let store: FreshStore;
  let database: TestDatabase;
  let db: Db;
  let fake: FakeGraphApi;
  let config: Config;
  const token = fakeToken();

  beforeEach(async () => {
    fake = await new FakeGraphApi().start();
    fake.page(PAGE, 'UBND xã Tân Lập', token);
    store = await freshStore(kind);
    ({ database, db, config } = store);
  });
  afterEach(async () => {
    await store.dispose();
    await fake.stop();
  });

  const env = (extra: Record<string, string> = {}) =>
    envFor(config, {
      LOA_FACEBOOK_GRAPH_URL: fake.url,
      LOA_SECRET_KEY: SECRET_KEY,
      LOA_SCHEDULER_EVERY_MS: '500',
      ...extra,
    });

  async function channel(settings: Record<string, unknown> = {}): Promise<void> {
    await saveCommunePage(db.kysely, { pageId: PAGE, ...settings }, 'quản trị');
    await setChannelSecret(db.kysely, 'trang-xa', token, 'quản trị', secretKeyFromEnv({ LOA_SECRET_KEY: SECRET_KEY }));
  }

  test('a worker killed right after Facebook accepted the post: the next one finds it, never posts again; no token anywhere', async () => {
    await channel();
    const itemId = await approvedItem(db.kysely, 'bị giết');
    const { created } = await schedulePublications(
      db.kysely,
      [{ itemId, channelId: 'trang-xa', scheduledAt: new Date() }],
      'cán bộ A',
    );
    const id = created[0]!.id;
    fake.inject({ slowMs: 20_000 });
    const first = await startWorkerProcess(env({ LOA_LOCK_MS: '2000', LOA_FACEBOOK_TIMEOUT_MS: '30000' }), 90_000);
    await waitFor(() => fake.postsWith('Nội dung bị giết:').length === 1, 30_000, 'Facebook accepted the post');
    await stopChild(first.child, 'SIGKILL');
    expect((await getPublication(db.kysely, id)).state).toBe('publishing');

    const second = await startWorkerProcess(env({ LOA_LOCK_MS: '2000' }), 90_000);
    try {
      await waitFor(
        async () => ['published', 'unconfirmed'].includes((await getPublication(db.kysely, id)).state),
        40_000,
        'settled after restart',
      );
      await new Promise((r) => setTimeout(r, 2_000));
    } finally {
      await stopChild(second.child);
    }
    const posts = fake.postsWith('Nội dung bị giết:');
    expect(posts).toHaveLength(1);
    expect(await getPublication(db.kysely, id)).toMatchObject({ state: 'published', externalId: posts[0]!.id });
    expect((await listAttempts(db.kysely, id)).map((a) => a.outcome)).toContain('interrupted');

    const log = await runLoa(['log', '--json'], env());
    expect(log.code).toBe(0);
    expect(log.stdout).toContain(posts[0]!.id);
    const doctor = await runLoa(['doctor'], env());
    expect(doctor.stdout).toContain('Trang «UBND xã Tân Lập» trả lời; token có quyền đăng bài');
    for (const text of [
      first.output(),
      second.output(),
      log.stdout,
      log.stderr,
      doctor.stdout,
      doctor.stderr,
      await databaseText(db, database),
    ])
      expect(text).not.toContain(token);
    // The fake did receive it (so the grep above could have found it), in a header, never in an address.
    expect(fake.requests.some((r) => r.authorization === `Bearer ${token}`)).toBe(true);
    expect(fake.requests.some((r) => r.path.includes(token))).toBe(false);
  });

  test('two worker processes never post more to one Page than its pace allows', async () => {
    await channel({ postsPerHour: 3 });
    const now = new Date();
    const items = [];
    for (let i = 1; i <= 6; i += 1) items.push(await approvedItem(db.kysely, `nhịp ${i}`));
    await schedulePublications(
      db.kysely,
      items.map((itemId) => ({ itemId, channelId: 'trang-xa', scheduledAt: now })),
      'cán bộ A',
    );
    // Started together; a loaded machine may take a while to start a process.
    const started = await Promise.allSettled([startWorkerProcess(env(), 90_000), startWorkerProcess(env(), 90_000)]);
    const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    try {
      if (workers.length < 2) throw new Error('a worker process did not start');
      await waitFor(
        async () => (await listPublications(db.kysely, { states: ['published'] })).length >= 3,
        40_000,
        'three published',
      );
      // Both processes have had time to take every job; what is over the pace must still be waiting.
      await new Promise((r) => setTimeout(r, 5_000));
    } finally {
      await Promise.all(workers.map((w) => stopChild(w.child)));
    }
    expect(fake.postsWith('Nội dung nhịp')).toHaveLength(3);
    const publications = await listPublications(db.kysely);
    expect(publications.filter((p) => p.state === 'published')).toHaveLength(3);
    expect(publications.filter((p) => p.state === 'queued')).toHaveLength(3);
    for (const p of publications.filter((p) => p.state === 'queued'))
      expect(await listAttempts(db.kysely, p.id)).toEqual([]);
  });
});
