import { approveAs } from '../src/actions/items';
import { pauseAs, pauseStatusFor, resumeAs } from '../src/actions/pause';
import type { Config } from '../src/config';
import type { Actor } from '../src/domain/access';
import type { Db } from '../src/store';
import { listAttempts } from '../src/store/attempts';
import { readAudit } from '../src/store/audit';
import { getPublication, listPublications, schedulePublications } from '../src/store/publications';
import { HOME, OTHER, PEOPLE, seedAccounts } from './support/accounts';
import { DATABASE_KINDS } from './support/databases';
import { seedItems } from './support/seed';
import { envFor, startWorkerProcess, stopChild, waitFor } from './support/services';
import { type FreshStore, freshStore } from './support/store-fixture';

const admin: Actor = { name: PEOPLE.admin.name, role: 'admin', unitId: null, source: 'API' };
const supervisor: Actor = { name: PEOPLE.supervisor.name, role: 'supervisor', unitId: HOME, source: 'browser' };
const otherSupervisor: Actor = {
  name: PEOPLE.otherSupervisor.name,
  role: 'supervisor',
  unitId: OTHER,
  source: 'browser',
};

const published = async (db: Db) => (await listPublications(db.kysely, { states: ['published'] })).map((p) => p.id);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Set-up hashes several passwords (scrypt) and starts servers or worker processes: slow on a busy 2-core machine.
jest.setTimeout(240_000);

describe.each(DATABASE_KINDS)('emergency pause and expiry with running workers on %s', (kind) => {
  let store: FreshStore;
  let db: Db;
  let config: Config;

  beforeEach(async () => {
    store = await freshStore(kind);
    ({ db, config } = store);
    await seedAccounts(db.kysely);
  });
  afterEach(() => store.dispose());

  test('a pause stops two workers mid-queue; resume publishes what is still wanted, drops the rest, nothing twice', async () => {
    const itemIds = await seedItems(db.kysely, 10);
    // A slow channel call (drill knob), so the queue is still long when the pause lands.
    const env = envFor(config, {
      LOA_FAULT_DELAY_MS: '700',
      LOA_SCHEDULER_EVERY_MS: '500',
      LOA_CONCURRENCY: '1',
      LOA_LOCAL_CONCURRENCY: '1',
    });
    const workers = await Promise.all([startWorkerProcess(env), startWorkerProcess(env)]);
    // The other unit is paused from the start: its publications wait while the home unit's go out.
    await pauseAs(db.kysely, otherSupervisor, undefined, 'Bài đăng sai của xã Khác');
    // Scheduled once both workers run; their schedulers move them into the queue within half a second.
    const now = Date.now();
    const home = await schedulePublications(
      db.kysely,
      itemIds.map((itemId) => ({ itemId, channelId: 'rss', scheduledAt: new Date(now) })),
      PEOPLE.officer.name,
    );
    const other = await schedulePublications(
      db.kysely,
      itemIds.slice(0, 2).map((itemId) => ({ itemId, channelId: 'rss-khac', scheduledAt: new Date(now) })),
      PEOPLE.officer.name,
    );
    try {
      await waitFor(async () => (await published(db)).length >= 1, 30_000, 'a first publication');
      await pauseAs(db.kysely, admin, null, 'Ngày quốc tang');
      // What was in flight when the pause came finishes (a job that passed the pause check a moment before the pause
      // counts as in flight: the pause takes effect within seconds, not within the same millisecond); nothing new starts.
      await sleep(2_000);
      await waitFor(
        async () => (await listPublications(db.kysely, { states: ['publishing'] })).length === 0,
        10_000,
        'in-flight ones settled',
      );
      const atPause = await published(db);
      await sleep(4_000);
      expect(await published(db)).toEqual(atPause);
      expect(atPause.length).toBeLessThan(home.created.length);
      expect(atPause.every((id) => home.created.some((p) => p.id === id))).toBe(true);

      // The held ones wait visibly.
      const status = await pauseStatusFor(db.kysely, admin);
      const province = status.find((p) => p.unitId === null)!;
      expect(province.reason).toBe('Ngày quốc tang');
      const held = province.held.filter((id) => home.created.some((p) => p.id === id));
      expect(held.sort()).toEqual(
        home.created
          .map((p) => p.id)
          .filter((id) => !atPause.includes(id))
          .sort(),
      );

      const dropped = held[0]!;
      await resumeAs(db.kysely, admin, null, [dropped]);
      await waitFor(
        async () => (await published(db)).length === home.created.length - 1,
        30_000,
        'the rest of the home unit published after resume',
      );
      expect((await getPublication(db.kysely, dropped)).state).toBe('cancelled');
      expect(await listAttempts(db.kysely, dropped)).toEqual([]);
      // The other unit is still under its own pause.
      for (const p of other.created) expect((await getPublication(db.kysely, p.id)).state).toBe('queued');

      await resumeAs(db.kysely, otherSupervisor, undefined);
      await waitFor(
        async () => (await published(db)).length === home.created.length - 1 + other.created.length,
        30_000,
        'the other unit published after its resume',
      );
    } finally {
      for (const w of workers) await stopChild(w.child);
    }
    for (const p of [...home.created, ...other.created]) {
      const outcomes = (await listAttempts(db.kysely, p.id)).map((a) => a.outcome);
      expect(outcomes.filter((o) => o === 'published').length).toBeLessThanOrEqual(1);
    }
    const audit = (await readAudit(db.kysely))
      .filter((e) => e.action.startsWith('publishing.'))
      .map((e) => `${e.action} ${e.subject} ${e.actor}`);
    expect(audit.reverse()).toEqual([
      `publishing.pause ${OTHER} ${PEOPLE.otherSupervisor.name}`,
      `publishing.pause toàn tỉnh ${PEOPLE.admin.name}`,
      `publishing.resume toàn tỉnh ${PEOPLE.admin.name}`,
      `publishing.resume ${OTHER} ${PEOPLE.otherSupervisor.name}`,
    ]);
  }, 120_000);

  test('an item still unapproved when due expires; approving later re-queues it only when asked', async () => {
    const [itemId] = await seedItems(db.kysely, 1, false);
    const due = new Date(Date.now() + 1_500);
    const { created } = await schedulePublications(
      db.kysely,
      [{ itemId: itemId!, channelId: 'rss', scheduledAt: due }],
      PEOPLE.officer.name,
    );
    const id = created[0]!.id;
    const worker = await startWorkerProcess(envFor(config, { LOA_SCHEDULER_EVERY_MS: '500' }));
    try {
      await waitFor(
        async () => (await getPublication(db.kysely, id)).state === 'expired',
        20_000,
        'expired at its time',
      );
      const expired = await getPublication(db.kysely, id);
      expect(expired.updatedAt.getTime()).toBeGreaterThanOrEqual(due.getTime());
      expect(expired.reason).toMatch(/chưa được duyệt/);
      expect(await listAttempts(db.kysely, id)).toEqual([]);

      const first = await approveAs(db.kysely, supervisor, itemId!);
      expect(first).toMatchObject({ requeued: [], expired: [id] });
      await sleep(2_000);
      expect((await getPublication(db.kysely, id)).state).toBe('expired');

      const again = await approveAs(db.kysely, supervisor, itemId!, { requeue: true });
      expect(again.requeued).toEqual([id]);
      await waitFor(
        async () => (await getPublication(db.kysely, id)).state === 'published',
        20_000,
        'published after approve --requeue',
      );
    } finally {
      await stopChild(worker.child);
    }
  }, 90_000);
});
