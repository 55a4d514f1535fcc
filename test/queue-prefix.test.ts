import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import IORedis from 'ioredis';

import { readConfig } from '../src/config';
import { freePort } from '../src/queue/private-redis';
import type { Db } from '../src/store';
import { listPublications, schedulePublications } from '../src/store/publications';
import { startWorker } from '../worker/worker';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { seedItems } from './support/seed';
import { stopChild, testConfig, waitFor } from './support/services';

/**
 * A one-node Redis Cluster of the test's own (every slot on it): it refuses, as a real cluster does, any command or
 * script whose keys fall in different hash slots (CROSSSLOT), which is what a prefix without a hash tag leads to.
 */
async function startOneNodeCluster(): Promise<{ url: string; child: ChildProcess; dir: string }> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-cluster-'));
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      path.join(dir, 'nodes.conf'),
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const admin = new IORedis(url, { lazyConnect: true, retryStrategy: () => 100 });
  await waitFor(async () => (await admin.ping().catch(() => '')) === 'PONG', 10_000, 'redis-server in cluster mode');
  await admin.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
  await waitFor(
    async () => /cluster_state:ok/.test(String(await admin.call('CLUSTER', 'INFO'))),
    10_000,
    'the cluster to be ready',
  );
  admin.disconnect();
  return { url, child, dir };
}

/**
 * Redis Cluster keeps a BullMQ queue's keys in one hash slot only when the prefix carries a hash tag, as in
 * LOA_QUEUE_PREFIX={loa}. Loa must run unchanged with such a prefix: every key it writes (queues, account pace,
 * locks) starts with it, and a publication goes out, on a cluster that refuses keys spread over slots.
 */
describe.each(DATABASE_KINDS)('a hash-tagged queue prefix on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;
  let cluster: Awaited<ReturnType<typeof startOneNodeCluster>>;
  let redis: IORedis;
  const prefix = `{loa-test-${randomBytes(4).toString('hex')}}`;

  beforeAll(async () => {
    cluster = await startOneNodeCluster();
    redis = new IORedis(cluster.url);
    database = await freshDatabase(kind);
    db = await openStore(database.url, { defaultUnit: 'UBND xã Tân Lập' });
  });
  afterAll(async () => {
    redis?.disconnect();
    if (cluster) await stopChild(cluster.child);
    if (cluster) fs.rmSync(cluster.dir, { recursive: true, force: true });
    await db?.close();
    await database?.drop();
  });

  test('LOA_QUEUE_PREFIX is taken as written, braces included', () => {
    expect(readConfig({ LOA_QUEUE_PREFIX: '{loa}' }).queuePrefix).toBe('{loa}');
  });

  test('the worker publishes rss and radio with every key under the hash tag', async () => {
    const config = testConfig(database.url, { queuePrefix: prefix, redisUrl: cluster.url });
    const itemIds = await seedItems(db.kysely, 2);
    const now = new Date(Date.now() - 1_000);
    await schedulePublications(
      db.kysely,
      [
        { itemId: itemIds[0]!, channelId: 'rss', scheduledAt: now },
        { itemId: itemIds[1]!, channelId: 'radio', scheduledAt: now },
      ],
      'kiểm thử',
    );
    const worker = await startWorker(config, { log: () => undefined });
    try {
      await waitFor(
        async () => (await listPublications(db.kysely, { states: ['published'] })).length === 2,
        60_000,
        'both published',
      );
      const keys = await redis.keys('*');
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.filter((key) => !key.startsWith(`${prefix}:`))).toEqual([]);
      // One hash slot for all of them: what Redis Cluster needs for BullMQ's multi-key scripts.
      const slots = new Set(await Promise.all(keys.map((key) => redis.call('CLUSTER', 'KEYSLOT', key))));
      expect(slots.size).toBe(1);
    } finally {
      await worker.stop();
    }
  });
});
