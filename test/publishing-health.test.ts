import fs from 'node:fs';
import path from 'node:path';

import { schedulePublications } from '../src/store/publications';
import { beat } from '../src/store/publishing-health';
import { publishOne } from '../worker/publish-job';
import { DATABASE_KINDS } from './support/databases';
import { seedItems } from './support/seed';
import { serveForTest } from './support/server';
import { envFor, runLoa, startWorkerProcess, stopChild, waitFor } from './support/services';
import { freshStore, publishDeps } from './support/store-fixture';

/** `/health` and `loa doctor` mean "publishing works": not just that the services answer. */

const WHO = { host: 'may-thu', pid: 1, startedAt: new Date(), everyMs: 60_000 };

describe.each(DATABASE_KINDS)('on %s', (kind) => {
  test('radio publishing that fails, an overdue publication and a skewed worker clock each make health 503', async () => {
    const store = await freshStore(kind);
    // The export folder is a file: every radio script write fails, as on a folder that was taken away.
    const exportDir = path.join(store.config.exportDir, 'khong-phai-thu-muc');
    fs.writeFileSync(exportDir, 'x');
    const config = { ...store.config, exportDir };
    const server = await serveForTest(store.db, store.database, config);
    const health = async () => {
      const answer = await fetch(`${server.base}/health`);
      return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
    };
    try {
      // No worker has beaten: nothing will be published.
      expect(await health()).toMatchObject({ status: 503, body: { workers: 0 } });
      await beat(store.db.kysely, { worker: 'may-thu/1', ...WHO });
      expect(await health()).toMatchObject({ status: 200, body: { workers: 1, overdue: 0, failing: [] } });

      const [first, second] = await seedItems(store.db.kysely, 2);
      const soon = new Date(Date.now() - 60_000);
      const { created } = await schedulePublications(
        store.db.kysely,
        [{ itemId: first!, channelId: 'radio', scheduledAt: soon }],
        'kiểm thử',
      );
      await expect(publishOne(publishDeps(store.db, config), created[0]!.id, true)).rejects.toThrow();
      const failing = await health();
      expect(failing).toMatchObject({ status: 503, body: { workers: 1, failing: ['radio'] } });

      // A publication due an hour ago that nobody took.
      await schedulePublications(
        store.db.kysely,
        [{ itemId: second!, channelId: 'rss', scheduledAt: new Date(Date.now() - 3_600_000) }],
        'kiểm thử',
      );
      expect((await health()).body).toMatchObject({ overdue: 1 });

      // A worker whose clock runs two minutes ahead of the database's.
      await beat(store.db.kysely, { worker: 'may-lech/2', ...WHO }, () => Date.now() + 120_000);
      const skewed = await health();
      expect(skewed.status).toBe(503);
      expect(skewed.body.skewed).toEqual(['may-lech/2']);
      expect((skewed.body.clockOffsets as Record<string, number>)['may-lech/2']).toBeGreaterThan(115_000);

      // loa doctor says the same.
      const doctor = await runLoa(['doctor'], envFor(config));
      expect(doctor.stdout).toContain('! Kênh radio: những lần đăng gần nhất đều thất bại');
      expect(doctor.stdout).toMatch(/! 1 bài đã quá giờ đăng/);
      expect(doctor.stdout).toMatch(/! Đồng hồ của tiến trình may-lech\/2 lệch \+12\d(,\d)? giây so với cơ sở dữ liệu/);
    } finally {
      await server.close();
    }
  });

  test('a frozen worker (SIGSTOP) stops counting as alive once its heartbeat is late', async () => {
    const store = await freshStore(kind);
    const server = await serveForTest(store.db, store.database, store.config);
    const env = envFor(store.config, { LOA_HEARTBEAT_MS: '300' });
    const worker = await startWorkerProcess(env);
    try {
      const workers = async () =>
        ((await (await fetch(`${server.base}/health`)).json()) as { workers: number; workersNotBeating: string[] })
          .workers;
      await waitFor(async () => (await workers()) === 1, 10_000, 'the worker never beat');
      process.kill(worker.child.pid!, 'SIGSTOP');
      // The deadline is three beats (900 ms); Redis still holds the frozen process's connections.
      await waitFor(async () => (await workers()) === 0, 10_000, 'a frozen worker still counted alive');
      const answer = await fetch(`${server.base}/health`);
      expect(answer.status).toBe(503);
      expect(((await answer.json()) as { workersNotBeating: string[] }).workersNotBeating).toHaveLength(1);
      process.kill(worker.child.pid!, 'SIGCONT');
      await waitFor(async () => (await workers()) === 1, 10_000, 'the thawed worker did not beat again');
    } finally {
      process.kill(worker.child.pid!, 'SIGCONT');
      await stopChild(worker.child);
      await server.close();
    }
  });
});
