/**
 * `npm run screenshots [-- --out <thư mục>]`: a tour of the desk in pictures, for a reviewer who does not run it. Starts
 * Loa's server on a fresh SQLite database filled with a month of a real plan (test/support/desk-tour.ts, the same
 * pages the accessibility test checks), signs in as an officer, a supervisor and an admin in headless Chromium, and
 * writes a full-page PNG of every page at 390 px (a phone) and 1366 px (a laptop) into `screenshots/` (git-ignored).
 * Redis: the one at LOA_REDIS_URL (or 127.0.0.1:6379) under a queue prefix of its own, else a private redis-server.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Browser } from 'playwright-core';

import { redisServerInstalled, startPrivateRedis } from '../src/queue/private-redis';
import { redisReachable } from '../src/queue/redis';
import { launchBrowser } from '../test/support/browser';
import {
  contextFor,
  DESK_STOPS,
  type DeskStop,
  openStop,
  type Person,
  QUEUE_BOARD,
  startDeskTour,
} from '../test/support/desk-tour';

const WIDTHS = [390, 1366];

function outFolder(argv: string[]): string {
  const at = argv.indexOf('--out');
  return path.resolve(at >= 0 && argv[at + 1] ? argv[at + 1]! : 'screenshots');
}

/** The configured Redis when it answers; else one of our own (the tour's jobs never reach a real installation's). */
async function tourRedis(): Promise<{ url: string; stop(): void }> {
  const url = process.env.LOA_REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (await redisReachable(url)) return { url, stop: () => undefined };
  if (!redisServerInstalled())
    throw new Error(`Không kết nối được Redis tại ${url} và máy chưa có redis-server: chạy bash scripts/setup.sh test`);
  console.log('Không thấy Redis đang chạy: khởi động một redis-server riêng…');
  return startPrivateRedis();
}

async function main(): Promise<void> {
  const out = outFolder(process.argv.slice(2));
  fs.mkdirSync(out, { recursive: true });
  const started = Date.now();
  const redis = await tourRedis();
  let browser: Browser | undefined;
  let tour: Awaited<ReturnType<typeof startDeskTour>> | undefined;
  try {
    console.log('Dựng máy chủ Loa trên một cơ sở dữ liệu SQLite mới, với một tháng của kế hoạch mẫu…');
    tour = await startDeskTour({ redisUrl: redis.url });
    console.log(`Máy chủ chạy ở ${tour.base}; mở Chromium…`);
    browser = await launchBrowser();
    const stops: DeskStop[] = [...DESK_STOPS, QUEUE_BOARD];
    const total = stops.length * WIDTHS.length;
    let done = 0;
    for (const width of WIDTHS) {
      const people: Array<Person | null> = [...new Set(stops.map((s) => s.who))];
      for (const who of people) {
        const context = await contextFor(browser, tour.base, who, width);
        for (const stop of stops.filter((s) => s.who === who)) {
          const page = await context.newPage();
          await openStop(page, tour.base, stop, tour.seeded);
          // The queue board draws itself with its script after the page loads.
          if (stop === QUEUE_BOARD) await page.waitForLoadState('networkidle');
          const file = path.join(out, `${stop.name}-${width}.png`);
          await page.screenshot({ path: file, fullPage: true });
          await page.close();
          done += 1;
          console.log(`[${done}/${total}] ${path.relative(process.cwd(), file)}  ${stop.title}`);
        }
        await context.close();
      }
    }
    console.log(
      `Xong: ${total} ảnh trong ${path.relative(process.cwd(), out) || '.'}/ sau ${Math.round((Date.now() - started) / 1000)} giây.`,
    );
  } finally {
    await browser?.close();
    await tour?.close();
    redis.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`Không chụp được: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
