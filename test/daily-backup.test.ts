import fs from 'node:fs';

import IORedis from 'ioredis';

import { MANIFEST, type Manifest, readArchive } from '../src/backup/archive';
import { keepDailyBackups } from '../worker/daily-backup';
import type { WorkerLog } from '../worker/log';
import { startWorker } from '../worker/worker';
import { DATABASE_KINDS } from './support/databases';
import { seedItems } from './support/seed';
import { envFor, runLoa, waitFor } from './support/services';
import { freshStore } from './support/store-fixture';

/** The worker's scheduled backup, with a clock the test moves a day at a time. */

const DAY = 86_400_000;

describe.each(DATABASE_KINDS)('on %s', (kind) => {
  test('one backup a day among several workers, the newest LOA_BACKUP_KEEP kept, a person’s kept too', async () => {
    const store = await freshStore(kind, { backupEveryMs: DAY, backupKeep: 2 });
    const { config } = store;
    const redis = new IORedis(config.redisUrl, { maxRetriesPerRequest: null });
    const lines: string[] = [];
    const log: WorkerLog = (level, message) => lines.push(`${level} ${message}`);
    let now = Date.now();
    const clock = () => new Date(now);
    // Two workers' keepers (two processes, or two machines sharing Redis); their own timers never fire here.
    const keepers = [1, 2].map(() => keepDailyBackups(config, { redis, log, now: clock, lookEveryMs: 3_600_000 }));
    try {
      await seedItems(store.db.kysely, 3);
      fs.mkdirSync(config.backupDir, { recursive: true });
      const written: string[] = [];
      for (let day = 0; day < 4; day++) {
        const results = await Promise.all(keepers.map((k) => k.runIfDue()));
        expect(results.filter(Boolean)).toHaveLength(1);
        written.push(results.find(Boolean)!);
        // Due again only a day later.
        now += DAY - 60_000;
        expect(await Promise.all(keepers.map((k) => k.runIfDue()))).toEqual([null, null]);
        // (and a little more: the files' times are the real clock's, a few seconds on from the test's start)
        now += 60_000 + 30_000;
        if (day === 1) fs.writeFileSync(`${config.backupDir}/loa-20260101-000000.tar.gz`, 'một bản của người');
      }
      const files = fs.readdirSync(config.backupDir).sort();
      expect(files).toEqual([
        'loa-20260101-000000.tar.gz',
        ...written.slice(-2).map((file) => file.slice(config.backupDir.length + 1)),
      ]);
      expect(files[1]).toMatch(/^loa-hang-ngay-\d{8}-\d{6}\.tar\.gz$/);
      // A whole backup that restore would accept: its manifest counts the items.
      let manifest: Manifest | undefined;
      for await (const entry of readArchive(written.at(-1)!))
        if (entry.name === MANIFEST) manifest = JSON.parse(entry.bytes.toString()) as Manifest;
      expect(manifest!.tables.find((t) => t.name === 'content_items')!.rows).toBe(3);
      expect(lines.filter((l) => l.startsWith('info đã sao lưu theo lịch'))).toHaveLength(4);
      // loa doctor reports the newest one's age.
      const doctor = await runLoa(['doctor'], envFor(config));
      expect(doctor.stdout).toMatch(/✓ Bản sao lưu gần nhất: loa-hang-ngay-\d{8}-\d{6}\.tar\.gz, 0 giờ trước/);
    } finally {
      await Promise.all(keepers.map((k) => k.close()));
      await redis.quit();
      await store.dispose();
    }
  });
});

test('a running worker takes the backup when it is due', async () => {
  const store = await freshStore('sqlite', { backupEveryMs: DAY, backupKeep: 3 });
  const worker = await startWorker(store.config, { backups: { lookEveryMs: 200 }, log: () => undefined });
  try {
    await waitFor(
      () => fs.existsSync(store.config.backupDir) && fs.readdirSync(store.config.backupDir).length === 1,
      20_000,
      'no backup',
    );
    expect(fs.readdirSync(store.config.backupDir)[0]).toMatch(/^loa-hang-ngay-/);
  } finally {
    await worker.stop();
    await store.dispose();
  }
});
