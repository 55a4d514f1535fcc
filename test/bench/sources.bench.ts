/**
 * `npx tsx test/bench/sources.bench.ts`: what one poll costs. A local feed server lists FEED_ENTRIES entries (default
 * 10,000: the "sudden flood" case); for each database we time the first poll (fetch, parse, 20 drafts, the rest
 * remembered as skipped), the second (a 304), and a third with no validators (the whole feed again, nothing new), and
 * report the process's peak memory. Needs PostgreSQL for its row.
 */
import { performance } from 'node:perf_hooks';

import { pollSource } from '../../src/sources/poll-source';
import { savePlan } from '../../src/store/plans';
import { addSource } from '../../src/store/sources';
import { rssXml, startFeedServer } from '../sources/feed-server';
import { DATABASE_KINDS, freshDatabase } from '../support/databases';
import { openStore } from '../support/open-store';
import { minimalPlan } from '../support/seed';

process.env.LOA_SOURCES_ALLOW_PRIVATE = '1';
const ENTRIES = Number(process.env.FEED_ENTRIES ?? 10_000);

async function run(kind: 'sqlite' | 'postgres') {
  const database = await freshDatabase(kind);
  const db = await openStore(database.url, { defaultUnit: 'UBND xã Tân Lập' });
  const server = await startFeedServer();
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  try {
    await savePlan(db.kysely, { plan: minimalPlan(), sourceName: 'bench', sourceHash: 'bench' }, 'bench');
    server.state.feed = rssXml(
      'Cổng',
      Array.from({ length: ENTRIES }, (_, i) => ({
        guid: `g-${i}`,
        link: `https://cong.example.vn/tin/${i}`,
        title: `Cải cách thủ tục hành chính, tin số ${i}`,
        description: `<p>Người dân <b>nộp hồ sơ</b> trực tuyến, tin ${i}.</p>`,
        pubDate: new Date(Date.UTC(2026, 9, 1) + i * 60_000).toUTCString(),
      })),
    );
    const source = await addSource(
      db.kysely,
      { url: server.url('/feed.xml'), unitId: 'ubnd-xa-tan-lap', planId: null, everyMinutes: 30, proposals: [] },
      'bench',
    );
    const timed = async () => {
      const started = performance.now();
      const report = await pollSource(db.kysely, source.id, { force: true });
      return { ms: Math.round(performance.now() - started), outcome: report.outcome };
    };
    const first = await timed();
    const notModified = await timed();
    await db.kysely.updateTable('sources').set({ etag: null, last_modified: null }).execute();
    const refetch = await timed();
    return {
      kind,
      bytes: server.state.feed.length,
      first,
      notModified,
      refetch,
      peakRssMb: Math.round(peakRss / 2 ** 20),
    };
  } finally {
    clearInterval(sampler);
    await server.close();
    await db.close();
    await database.drop();
  }
}

void (async () => {
  for (const kind of DATABASE_KINDS) console.log(JSON.stringify(await run(kind)));
})();
