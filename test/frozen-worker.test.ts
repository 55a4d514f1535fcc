import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import mammoth from 'mammoth';

import { withdrawAs } from '../src/actions/items';
import type { Actor } from '../src/domain/access';
import { PublishQueues } from '../src/queue/queues';
import { getPublication, schedulePublications } from '../src/store/publications';
import { publishOne } from '../worker/publish-job';
import { DATABASE_KINDS } from './support/databases';
import { seedItems } from './support/seed';
import { envFor, startWorkerProcess, stopChild, waitFor } from './support/services';
import { type FreshStore, freshStore, publishDeps } from './support/store-fixture';

const OFFICER: Actor = { name: 'Cán bộ An', role: 'officer', unitId: 'ubnd-xa-tan-lap', source: 'CLI' };
/** The lease of this test's worker: short, so a freeze outlasts it in a few seconds (not the 60 s of the finding). */
const LEASE_MS = 1_500;

/** Every file under the station's folder, by name, and the day programmes' text. */
async function stationFiles(exportDir: string): Promise<{ names: string[]; programmes: string }> {
  const root = path.join(exportDir, 'radio', 'radio');
  if (!fs.existsSync(root)) return { names: [], programmes: '' };
  const names = fs.readdirSync(root, { recursive: true, encoding: 'utf8' });
  const texts = names
    .filter((n) => /^\d{4}-\d\d-\d\d\.txt$/.test(n))
    .map((n) => fs.readFileSync(path.join(root, n), 'utf8'));
  // The .docx copy too: its document's text.
  for (const n of names.filter((name) => /^\d{4}-\d\d-\d\d\.docx$/.test(name)))
    texts.push((await mammoth.extractRawText({ path: path.join(root, n) })).value);
  const programmes = texts.join('\n');
  return { names: names.map((n) => path.join('radio', 'radio', n)), programmes };
}

/**
 * Issue 25, finding 5: a worker frozen (SIGSTOP) for longer than its lease while it holds radio publications is
 * taken over by another worker, and one item is withdrawn meanwhile; resumed (SIGCONT), the frozen worker must not
 * bring the withdrawn script back, neither its file nor its line in the day's programme. Its file writes are fenced
 * by the claim: written under temporary names, renamed only after a fenced step that the takeover and the
 * withdrawal refuse.
 */
describe.each(DATABASE_KINDS)('a worker frozen past its lease on %s', (kind) => {
  let store: FreshStore;
  let worker: { child: ChildProcess; output: () => string } | null = null;

  beforeEach(async () => {
    store = await freshStore(kind);
  });
  afterEach(async () => {
    if (worker && worker.child.exitCode === null) {
      worker.child.kill('SIGCONT');
      await stopChild(worker.child, 'SIGKILL');
    }
    worker = null;
    const queues = new PublishQueues(store.config.redisUrl, store.config.queuePrefix);
    await queues.queue('radio').obliterate({ force: true });
    await queues.close();
    await store.dispose();
  });

  test('taken over and withdrawn while frozen: resumed, it writes neither the script nor its programme line', async () => {
    const db = store.db.kysely;
    const itemIds = await seedItems(db, 2);
    const { created } = await schedulePublications(
      db,
      itemIds.map((itemId) => ({ itemId, channelId: 'radio', scheduledAt: new Date(Date.now() - 1_000) })),
      'cán bộ A',
    );
    const [withdrawn, kept] = created as [(typeof created)[0], (typeof created)[0]];
    // The drill's pause before the channel call holds both publications claimed while the worker is frozen.
    worker = await startWorkerProcess(
      envFor(store.config, {
        LOA_FAULT_DELAY_MS: '3000',
        LOA_LOCK_MS: String(LEASE_MS),
        LOA_SCHEDULER_EVERY_MS: '300',
        LOA_RADIO_DOCX_DELAY_MS: '0',
      }),
    );
    const claimedByIt = async () =>
      (
        await db
          .selectFrom('publish_attempts')
          .select('id')
          .where('outcome', '=', 'started')
          .where('publication_id', 'in', [withdrawn.id, kept.id])
          .execute()
      ).length === 2;
    await waitFor(claimedByIt, 30_000, 'both publications claimed by the worker');
    worker.child.kill('SIGSTOP');
    // Past the lease on the database's clock: another worker takes both over and publishes them.
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 500));
    const other = publishDeps(store.db, store.config, 'worker-B');
    expect(await publishOne({ ...other, leaseMs: 30_000 }, withdrawn.id, false)).toBe('published');
    expect(await publishOne({ ...other, leaseMs: 30_000 }, kept.id, false)).toBe('published');
    await other.adapters.radio?.flush?.();
    const script = (await getPublication(db, withdrawn.id)).externalId!;
    expect((await stationFiles(store.config.exportDir)).names).toContain(script);
    expect((await stationFiles(store.config.exportDir)).programmes).toContain('Bài 1.');

    // The item is withdrawn: its script and its programme line are taken down.
    const result = await withdrawAs(db, OFFICER, other.adapters, itemIds[0]!, 'thông tin đã thay đổi');
    expect(result.withdrawn.map((p) => p.id)).toEqual([withdrawn.id]);
    expect(result.removeByHand).toEqual([]);
    let files = await stationFiles(store.config.exportDir);
    expect(files.names).not.toContain(script);
    expect(files.programmes).not.toContain('Bài 1.');
    expect(files.programmes).toContain('Bài 2.');

    // Resumed: its attempts find their fence refused and write nothing visible.
    worker.child.kill('SIGCONT');
    await waitFor(
      () => (worker!.output().match(/mất quyền đăng/g) ?? []).length >= 2,
      30_000,
      'the resumed worker saw both claims lost',
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // any programme rebuild it had due
    files = await stationFiles(store.config.exportDir);
    expect(files.names).not.toContain(script);
    expect(files.names.filter((n) => n.includes(withdrawn.id))).toEqual([]);
    expect(files.programmes).not.toContain('Bài 1.');
    expect(files.programmes).toContain('Bài 2.');
    expect(await getPublication(db, withdrawn.id)).toMatchObject({ state: 'withdrawn' });
    expect(await getPublication(db, kept.id)).toMatchObject({ state: 'published' });
  });
});

/**
 * The fence itself, deterministically and in one process: a withdrawal lands just before the rename (the files are
 * never shown) or just after it (the fence asked again fails, the database says off air: the files are removed).
 */
describe.each(DATABASE_KINDS)('the radio adapter fences its file writes on %s', (kind) => {
  let store: FreshStore;
  beforeEach(async () => {
    store = await freshStore(kind);
  });
  afterEach(() => store.dispose());

  test.each([1, 2])(
    'withdrawn at fence %i: no script, no sidecar, no temporary file, no programme line',
    async (at) => {
      const db = store.db.kysely;
      const itemIds = await seedItems(db, 2);
      const { created } = await schedulePublications(
        db,
        itemIds.map((itemId) => ({ itemId, channelId: 'radio', scheduledAt: new Date(Date.now() - 1_000) })),
        'cán bộ A',
      );
      const deps = publishDeps(store.db, store.config, 'worker-A');
      expect(await publishOne(deps, created[1]!.id, false)).toBe('published');
      const radio = deps.adapters.radio!;
      // Nothing due any more: what removes the files below is the fence's undo, not a later rebuild.
      await radio.flush?.();
      const publish = radio.publish.bind(radio);
      let fences = 0;
      let call: Promise<unknown> = Promise.resolve();
      radio.publish = (post, rendered, attempt) =>
        (call = publish(post, rendered, {
          ...attempt,
          fence: async () => {
            fences += 1;
            if (fences === at) await withdrawAs(db, OFFICER, deps.adapters, itemIds[0]!, 'rút giữa chừng');
            return attempt.fence();
          },
        }));
      await expect(publishOne(deps, created[0]!.id, false)).rejects.toThrow(/mất quyền đăng/);
      // The worker stops waiting for the adapter once its claim is lost; the adapter's own end is what is checked.
      await expect(call).rejects.toThrow(/mất quyền đăng/);
      expect(fences).toBe(at);
      const files = await stationFiles(store.config.exportDir);
      expect(files.names.filter((n) => n.includes(created[0]!.id))).toEqual([]);
      expect(files.programmes).not.toContain('Bài 1.');
      expect(files.programmes).toContain('Bài 2.');
    },
  );
});
