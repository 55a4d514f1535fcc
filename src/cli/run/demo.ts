import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';

import { PLATFORMS } from '../../../channels';
import { PROJECT_ROOT } from '../../config';
import { clockFromEnv, localToday } from '../../domain/clock';
import { maskUrl } from '../../domain/secrets';
import { LOCAL_ZONE } from '../../domain/time';
import { buildFeed } from '../../http/feed-cache';
import { importPlanFile, proposeCalendar } from '../../importer';
import { redisServerInstalled, startPrivateRedis } from '../../queue/private-redis';
import { redisReachable } from '../../queue/redis';
import { addItems, approveItem } from '../../store/items';
import { savePlan } from '../../store/plans';
import { listPublications, schedulePublications } from '../../store/publications';
import { readPublishLog } from '../../store/publish-log';
import type { Database } from '../../store/schema';
import { config, progress } from '../context';
import { DEMO_DATABASE, DEMO_EXPORT_DIR, DEMO_WORKER_LOG } from '../demo-places';
import { printLog } from './log';

const DEMO_PLAN = path.join(PROJECT_ROOT, 'examples/plans/binh-phuoc-2024-sldtbxh.txt');
const OFFICER = 'Cán bộ Nguyễn Văn An';
const SUPERVISOR = 'Lãnh đạo Trần Thị Bình';
const ITEMS = 4;
const SPACING_MS = 2_000;

/** A Redis for the demo: the configured one, else a private redis-server, else exact instructions. */
async function demoRedis(): Promise<{ url: string; stop(): void } | null> {
  if (await redisReachable(config.redisUrl)) return { url: config.redisUrl, stop: () => undefined };
  if (process.env.LOA_REDIS_URL) {
    console.error(
      `Không kết nối được Redis tại LOA_REDIS_URL. Kiểm tra Redis đang chạy, hoặc bỏ biến này để demo tự chạy Redis riêng.`,
    );
    return null;
  }
  if (!redisServerInstalled()) {
    console.error('Demo cần Redis nhưng máy chưa có. Cài bằng một trong các cách:');
    console.error('  Debian/Ubuntu:  sudo apt-get install -y redis-server');
    console.error('  macOS:          brew install redis');
    console.error('rồi chạy lại: npm run demo   (hoặc đặt LOA_REDIS_URL tới một Redis có sẵn).');
    return null;
  }
  console.log('Không thấy Redis đang chạy: khởi động một redis-server riêng cho demo…');
  return startPrivateRedis();
}

/**
 * Starts the fake Graph API (src/demo/) and says where it is as the one-unit settings a real Page would use; they
 * are given to the demo's worker (`platformEnv`), never written into this process's environment.
 */
async function startFacebookFake() {
  const { FakeGraphApi } = require('../../demo/fake-graph-api') as typeof import('../../demo/fake-graph-api');
  const fake = await new FakeGraphApi().start();
  const pageId = '100000000000001';
  const token = `demo-${randomBytes(16).toString('hex')}`;
  fake.page(pageId, config.defaultUnit, token);
  console.log(`Trang Facebook giả đang chạy ở ${fake.url} (Trang ${pageId}).`);
  return {
    fake,
    pageId,
    env: { LOA_FACEBOOK_GRAPH_URL: fake.url, LOA_FACEBOOK_PAGE_ID: pageId, LOA_FACEBOOK_PAGE_TOKEN: token },
  };
}

/**
 * Starts the fake Zalo OA (src/demo/) with a fresh token pair, given to the demo's worker as a one-unit set-up's
 * settings: the pair is stored encrypted on first start, so LOA_SECRET_KEY must be set.
 */
async function startZaloFake() {
  const { FakeZalo } = require('../../demo/fake-zalo-oa') as typeof import('../../demo/fake-zalo-oa');
  const { secretKeyFromEnv } = require('../../store/secret-cipher') as typeof import('../../store/secret-cipher');
  secretKeyFromEnv(); // says how to make a key before anything starts
  const fake = new FakeZalo();
  await fake.start();
  const pair = fake.issuePair();
  console.log(`Zalo OA giả đang chạy ở ${fake.url}.`);
  const env = {
    LOA_ZALO_API_URL: fake.url,
    LOA_ZALO_OAUTH_URL: fake.url,
    LOA_ZALO_APP_ID: fake.appId,
    LOA_ZALO_SECRET_KEY: fake.secretKey,
    LOA_ZALO_ACCESS_TOKEN: pair.accessToken,
    LOA_ZALO_REFRESH_TOKEN: pair.refreshToken,
  };
  return { fake, pair, env };
}

/**
 * The demo's zalo channel: a cover photo from the fake (demo items have no image; Zalo requires a cover), and this
 * run's pair (an earlier demo's pair belonged to a fake that is gone).
 */
async function zaloDemoChannel(db: Kysely<Database>, zalo: Awaited<ReturnType<typeof startZaloFake>>): Promise<void> {
  const { setChannelSecret } = require('../../store/channel-secrets') as typeof import('../../store/channel-secrets');
  await db
    .updateTable('channels')
    .set({ settings: JSON.stringify({ coverUrl: zalo.fake.imageUrl(60_000) }) })
    .where('id', '=', 'zalo')
    .execute();
  const stored = JSON.stringify({
    accessToken: zalo.pair.accessToken,
    refreshToken: zalo.pair.refreshToken,
    refreshExpiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
  });
  await setChannelSecret(db, 'zalo', stored, 'loa demo');
}

/** The demo's facebook channel on the fake Page; its token is the demo worker's one-unit setting. */
async function facebookDemoChannel(db: Kysely<Database>, pageId: string): Promise<void> {
  const { saveChannel } = require('../../store/channels') as typeof import('../../store/channels');
  const { slugify } = require('../../domain/text') as typeof import('../../domain/text');
  const settings = { pageId, postsPerHour: 200 };
  const existing = await db.selectFrom('channels').select('id').where('id', '=', 'facebook').executeTakeFirst();
  if (existing)
    await db
      .updateTable('channels')
      .set({ settings: JSON.stringify(settings) })
      .where('id', '=', 'facebook')
      .execute();
  else
    await saveChannel(
      db,
      {
        id: 'facebook',
        unitId: slugify(config.defaultUnit),
        platform: 'facebook',
        name: `Trang Facebook ${config.defaultUnit}`,
        settings,
      },
      'loa demo',
    );
}

/** `loa demo` */
export async function demo(options: {
  facebookFake?: boolean;
  zaloFake?: boolean;
  database?: string;
  exportDir?: string;
}): Promise<void> {
  const redis = await demoRedis();
  if (!redis) {
    process.exitCode = 1;
    return;
  }
  // Its own database, export folder and queue prefix: a worker of the real installation on the same Redis never
  // sees the demo's jobs, and the demo's worker never takes real ones.
  const demoConfig = {
    ...config,
    redisUrl: redis.url,
    databaseUrl: options.database ?? DEMO_DATABASE,
    exportDir: path.resolve(options.exportDir ?? DEMO_EXPORT_DIR),
    queuePrefix: `${config.queuePrefix}-demo`,
    // No scheduled backup of the demo's data into the installation's LOA_BACKUP_DIR (it would count as the day's).
    backupEveryMs: 0,
  };
  console.log(`Dữ liệu của demo: ${maskUrl(demoConfig.databaseUrl)}; kịch bản và nguồn tin: ${demoConfig.exportDir}`);
  // The fake Graph API of the tests, on loopback; the one-unit environment set-up points Loa at it.
  const facebook = options.facebookFake ? await startFacebookFake() : null;
  const zalo = options.zaloFake ? await startZaloFake() : null;
  const channelIds = [...(facebook ? ['rss', 'radio', 'facebook'] : ['rss', 'radio']), ...(zalo ? ['zalo'] : [])];
  const { startWorker } = require('../../../worker/worker') as typeof import('../../../worker/worker');
  const { fileLog } = require('../../../worker/log') as typeof import('../../../worker/log');
  // The fakes' addresses and tokens, over the user's own settings, for the demo's worker only.
  const platformEnv = { ...process.env, ...facebook?.env, ...zalo?.env };
  // The worker's JSON lines go to a file: this output is for a person, in Vietnamese.
  const workerLog = path.resolve(DEMO_WORKER_LOG);
  const worker = await startWorker(demoConfig, { platformEnv, log: fileLog(workerLog) });
  console.log(`Nhật ký của tiến trình đăng bài (dòng JSON): ${path.relative(process.cwd(), workerLog)}`);
  try {
    const db = worker.db.kysely;
    // The fake Page's channel; a demo run may follow another within the hour: a pace the demo never reaches.
    if (facebook) await facebookDemoChannel(db, facebook.pageId);
    if (zalo) await zaloDemoChannel(db, zalo);
    console.log(`1. Nhập kế hoạch ${path.relative(process.cwd(), DEMO_PLAN)}`);
    const imported = await importPlanFile(DEMO_PLAN, PLATFORMS);
    const saved = await savePlan(
      db,
      { plan: imported.plan, sourceName: path.basename(DEMO_PLAN), sourceHash: imported.sourceHash },
      OFFICER,
    );
    console.log(`   → kế hoạch số ${saved.plan.id}: ${saved.plan.title} (${saved.plan.issuer ?? 'không ghi cơ quan'})`);

    const clock = clockFromEnv();
    const today = DateTime.fromJSDate(clock.now()).setZone(LOCAL_ZONE);
    // The shipped plan is for 2024: the demo shows its calendar for the month from today all the same (never a day
    // gone by, and a whole month of drafts even on the last day of one).
    const proposal = proposeCalendar(imported.plan, {
      platforms: PLATFORMS,
      from: today.toISODate()!,
      to: today.plus({ months: 1 }).minus({ days: 1 }).toISODate()!,
      keepToPlanPeriod: false,
      today: localToday(clock),
    });
    const drafts = proposal.items.slice(0, ITEMS);
    console.log(`2. ${OFFICER} viết ${drafts.length} nội dung từ lời văn của kế hoạch; ${SUPERVISOR} duyệt`);
    const items = await addItems(
      db,
      drafts.map((d) => ({
        plan: saved.plan.id,
        area: d.areaKey,
        unit: config.defaultUnit,
        title: d.title,
        body: d.body,
        link: null,
        image: null,
        priority: 'thong-thuong' as const,
      })),
      OFFICER,
    );
    for (const item of items) await approveItem(db, item.id, SUPERVISOR);

    const start = Date.now() + 3_000;
    const slots = items.flatMap((item, i) =>
      channelIds.map((channelId) => ({ itemId: item.id, channelId, scheduledAt: new Date(start + i * SPACING_MS) })),
    );
    const { created } = await schedulePublications(db, slots, OFFICER);
    console.log(
      `3. Xếp lịch ${created.length} lượt đăng trên ${channelIds.join(', ')}, cách nhau ${SPACING_MS / 1000} giây, bắt đầu sau 3 giây`,
    );
    await worker.schedule();

    console.log('4. Tiến trình đăng bài đang đăng đúng giờ…');
    const ids = new Set(created.map((p) => p.id));
    const bar = progress(ids.size, '   Đã đăng');
    const deadline = Date.now() + 60_000 + ITEMS * SPACING_MS;
    let done = 0;
    while (done < ids.size && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      done = (await listPublications(db, { states: ['published', 'failed', 'unconfirmed', 'expired'] })).filter((p) =>
        ids.has(p.id),
      ).length;
      bar.tick(done);
    }
    bar.stop();

    console.log('\n5. Nhật ký đăng bài:');
    printLog((await readPublishLog(db)).filter((e) => ids.has(e.publicationId)));

    const feed = await buildFeed(worker.db, demoConfig);
    const feedFile = path.join(demoConfig.exportDir, 'rss.xml');
    fs.mkdirSync(demoConfig.exportDir, { recursive: true });
    fs.writeFileSync(feedFile, feed.body);
    console.log(
      `\nNguồn tin RSS: ${feedFile} (bản chụp); xem trực tiếp: LOA_DATABASE_URL=${maskUrl(demoConfig.databaseUrl)} npx loa serve rồi mở ${config.publicUrl}/rss.xml`,
    );
    console.log(`Kịch bản phát thanh: ${path.join(demoConfig.exportDir, 'radio', 'radio')}`);
    if (zalo)
      console.log(
        `Zalo OA giả (${zalo.fake.url}) đã nhận ${zalo.fake.articles.length} bài: ${zalo.fake.articles.map((a) => a.id).join(', ')}`,
      );
    if (facebook)
      console.log(
        `Trang Facebook giả (${facebook.fake.url}) đã nhận ${facebook.fake.posts.length} bài: ${facebook.fake.posts.map((p) => p.id).join(', ')}`,
      );
    console.log(`Dữ liệu: ${worker.db.description}`);
    if (done < ids.size) {
      console.error(`Chỉ ${done}/${ids.size} lượt đăng xong trong thời gian chờ.`);
      process.exitCode = 1;
    }
  } finally {
    await worker.stop();
    await facebook?.fake.stop();
    await zalo?.fake.stop();
    redis.stop();
  }
}
