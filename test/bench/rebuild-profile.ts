/**
 * Where a queue rebuild's time goes: the bench's rebuild set-up (owed publications in both pending states, an empty
 * Redis of its own), the bench's reference (addBulk of as many jobs), then `scheduleDue({ full: true })` alone, timed
 * (wall, this process's CPU and redis-server's, read from /proc) and, with `--profile <file>`, profiled from its
 * start to its end (open the file in Chrome's DevTools, or `npx tsx test/bench/profile-breakdown.ts <file>`). SQLite
 * unless LOA_TEST_DATABASES says otherwise.
 *   npx tsx test/bench/rebuild-profile.ts [owed] [--profile file.cpuprofile]
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

import { Queue } from 'bullmq';

import { startPrivateRedis } from '../../src/queue/private-redis';
import { PublishQueues } from '../../src/queue/queues';
import { scheduleDue } from '../../src/queue/scheduler';
import { jobOptions, redisConnection } from '../../src/queue/settings';
import { DATABASE_KINDS, freshDatabase } from '../support/databases';
import { openStore } from '../support/open-store';
import { seedItems } from '../support/seed';
import { testConfig } from '../support/services';
import { addStations, insertPublications } from './bench-support';

/** A process's CPU seconds so far (user + system), from /proc: redis-server's share of a run. */
function processCpu(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 a second)
}

async function main() {
  const args = process.argv.slice(2);
  const at = args.indexOf('--profile');
  const profileFile = at >= 0 ? args.splice(at, 2)[1] : undefined;
  const total = Number(args[0] ?? 100_000);
  const kind = DATABASE_KINDS[0]!;
  const redis = await startPrivateRedis();
  const database = await freshDatabase(kind);
  const config = testConfig(database.url, { redisUrl: redis.url });
  const db = await openStore(database.url, { defaultUnit: config.defaultUnit });
  try {
    const itemIds = await seedItems(db.kysely, 1_000);
    const stations = await addStations(db.kysely, 40);
    const soon = Date.now() + 30 * 60_000;
    await insertPublications(
      db.kysely,
      Array.from({ length: total }, (_, n) => ({
        itemId: itemIds[n % itemIds.length]!,
        channelId: n % 2 ? 'rss' : stations[Math.floor(n / itemIds.length) % stations.length]!,
        scheduledAt: new Date(soon + Math.floor(n / itemIds.length) * 1_000),
        state: (n % 3 ? 'queued' : 'scheduled') as 'queued' | 'scheduled',
      })),
    );
    // The bench's reference: as many jobs added with addBulk, 1,000 at a time, to an empty queue.
    const bare = new Queue('bare-rebuild', { connection: redisConnection(redis.url), prefix: 'bench-bare' });
    await bare.waitUntilReady();
    const bareRedis = processCpu(redis.pid);
    const bareCpu = process.cpuUsage();
    const bareStarted = performance.now();
    for (let start = 0; start < total; start += 1_000) {
      await bare.addBulk(
        Array.from({ length: Math.min(1_000, total - start) }, (_, i) => ({
          name: 'publish',
          data: { publicationId: `p${start + i}` },
          opts: { ...jobOptions, jobId: `p${start + i}`, delay: 30 * 60_000 },
        })),
      );
    }
    const bareSeconds = (performance.now() - bareStarted) / 1000;
    const bareUsed = process.cpuUsage(bareCpu);
    const bareRedisUsed = processCpu(redis.pid) - bareRedis;
    await bare.obliterate({ force: true });
    await bare.close();
    const queues = new PublishQueues(redis.url, `${config.queuePrefix}-rebuild`);
    await queues.queue('rss').waitUntilReady();
    const session = new Session();
    if (profileFile) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const redisCpu = processCpu(redis.pid);
    const cpu = process.cpuUsage();
    const started = performance.now();
    const report = await scheduleDue(db.kysely, queues, { full: true });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const redisUsed = processCpu(redis.pid) - redisCpu;
    if (profileFile) {
      const { profile } = await session.post('Profiler.stop');
      fs.writeFileSync(profileFile, JSON.stringify(profile));
      session.disconnect();
    }
    await queues.close();
    console.log(
      `${kind}: rebuild of ${report.owed} owed (${report.newlyQueued} newly queued): ${seconds.toFixed(2)} s, ` +
        `this process's CPU ${((used.user + used.system) / 1e6).toFixed(2)} s (user ${(used.user / 1e6).toFixed(2)}), ` +
        `redis-server's ${redisUsed.toFixed(2)} s; ` +
        `addBulk of as many: ${bareSeconds.toFixed(2)} s, CPU ${((bareUsed.user + bareUsed.system) / 1e6).toFixed(2)} s, ` +
        `redis-server's ${bareRedisUsed.toFixed(2)} s; ` +
        `load average ${os.loadavg()[0]!.toFixed(1)}`,
    );
  } finally {
    await db.close();
    await database.drop();
    fs.rmSync(config.exportDir, { recursive: true, force: true });
    redis.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
