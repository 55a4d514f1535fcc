/**
 * `npm run bench:desk`: the web desk under load (issue 28, point 1). For each database a province's year is seeded
 * (10,000 items over 4 units, ~18,000 publications over the 330 days before today and the 35 after, their attempts,
 * 20,000 audit lines, 12 plans: test/support/seed.ts, seedDeskLoad), `loa serve` is started as an operator starts it,
 * 20 officers, 20 supervisors and an admin sign in through the desk's form (real sessions and cookies), and every desk
 * page is loaded by autocannon with 20 connections for a few seconds, each request with one of the 20 people's
 * cookies and `Accept-Encoding: br, gzip` as a browser sends it. The table gives requests per second, p50 and p99
 * latency, the server process's CPU time per request (from /proc: what a page costs, whatever else the machine runs;
 * on PostgreSQL the database's own processes are not in it), the page's size as sent (br, and gzip for a browser
 * without brotli) and whether the targets hold: p99 < 300 ms and < 60 KB compressed.
 *
 * The machine is shared with other sessions running tests: the load average before and after each database is printed
 * beside the figures, which are pessimistic when it is high.
 *
 *   npm run bench:desk                      both databases, 5 s per page
 *   npm run bench:desk -- --quick           1,000 items, 2 s per page (while developing)
 *   npm run bench:desk -- --only sqlite     one database (or postgres)
 *   LOA_BENCH_PROFILE=/tmp/prof npm run bench:desk -- --only sqlite   the server writes a CPU profile there
 *   LOA_BENCH_PAGES=duyệt,/api/log npm run bench:desk -- --quick      only the pages whose name contains one of these
 *                                                                        (a profile of one page says what that page costs)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

import autocannon from 'autocannon';
import { request } from 'undici';

import { freePort } from '../../src/queue/private-redis';
import { connect } from '../../src/store/connection';
import { createUser } from '../../src/store/users';
import { DATABASE_KINDS, freshDatabase } from '../support/databases';
import { openStore } from '../support/open-store';
import { seedDeskLoad } from '../support/seed';
import { testConfig } from '../support/services';
import { parseArgs, startLoa, stopProcess } from './bench-support';

const P99_TARGET_MS = 300;
const SIZE_TARGET_BYTES = 60 * 1024;
const CONNECTIONS = 20;
const PASSWORD = 'mật-khẩu-đủ-dài-1';

type Role = 'officer' | 'supervisor' | 'admin';

interface Page {
  name: string;
  path: string;
  as: Role;
}

function pages(planId: number): Page[] {
  return [
    { name: 'lịch tháng', path: '/desk/lich', as: 'officer' },
    { name: 'lịch tuần', path: '/desk/lich?xem=tuan', as: 'officer' },
    { name: 'lịch tháng, mọi đơn vị (quản trị)', path: '/desk/lich', as: 'admin' },
    { name: 'bài viết', path: '/desk/bai-viet', as: 'officer' },
    { name: 'duyệt bài', path: '/desk/duyet', as: 'supervisor' },
    { name: 'nhật ký đăng', path: '/desk/nhat-ky', as: 'officer' },
    { name: 'nhật ký đăng, mọi đơn vị (quản trị)', path: '/desk/nhat-ky', as: 'admin' },
    { name: 'kế hoạch', path: '/desk/ke-hoach', as: 'officer' },
    { name: 'một kế hoạch', path: `/desk/ke-hoach/${planId}`, as: 'officer' },
    { name: 'báo cáo', path: '/desk/bao-cao', as: 'supervisor' },
    { name: 'nhật ký thao tác', path: '/desk/thao-tac', as: 'supervisor' },
    { name: 'nguồn tin', path: '/desk/nguon-tin', as: 'officer' },
    { name: 'nhật ký thao tác (/api/audit)', path: '/api/audit', as: 'supervisor' },
    { name: '/api/log', path: '/api/log', as: 'officer' },
  ];
}

/** Signs a person in through the desk's form, as a browser does, and returns their session cookie. */
async function signIn(base: string, name: string): Promise<string> {
  const res = await request(`${base}/desk/dang-nhap`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name, password: PASSWORD, tiep: '/desk/lich' }).toString(),
  });
  await res.body.dump();
  const setCookie = res.headers['set-cookie'];
  const cookie = (Array.isArray(setCookie) ? setCookie : [setCookie ?? ''])[0]!.split(';')[0]!;
  if (res.statusCode !== 303 || !cookie) throw new Error(`sign-in of ${name} answered ${res.statusCode}`);
  return cookie;
}

/** The page's body as sent with one encoding (undici does not decode it), checked to be the page itself. */
async function sentBytes(base: string, path: string, cookie: string, encoding: string): Promise<number> {
  const res = await request(`${base}${path}`, { headers: { cookie, 'accept-encoding': encoding } });
  const body = Buffer.from(await res.body.arrayBuffer());
  if (res.statusCode !== 200) throw new Error(`${path} answered ${res.statusCode}`);
  const sent = res.headers['content-encoding'] ?? 'identity';
  if (encoding !== 'identity' && sent !== encoding && body.length >= 1024)
    throw new Error(`${path} was not compressed with ${encoding} (content-encoding: ${sent})`);
  return body.length;
}

/** Clock ticks per second of /proc's CPU times. */
const TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/**
 * CPU time the server process has used so far, in ms (user + system, from /proc): per request it says what a page
 * costs whatever else the machine runs, where latency under a shared machine's load does not.
 */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
}

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function run(kind: 'sqlite' | 'postgres', quick: boolean, seconds: number) {
  const database = await freshDatabase(kind);
  const config = testConfig(database.url);
  const db = await openStore(database.url, { defaultUnit: config.defaultUnit });
  let server: Awaited<ReturnType<typeof startLoa>> | undefined;
  try {
    const started = performance.now();
    const home = (await db.kysely.selectFrom('units').select('id').executeTakeFirstOrThrow()).id;
    const seeded = await seedDeskLoad(db.kysely, db.dialect, home, {
      items: quick ? 1_000 : 10_000,
      otherUnits: 3,
      plans: 12,
      auditRows: quick ? 2_000 : 20_000,
    });
    const people: Record<Role, string[]> = { officer: [], supervisor: [], admin: [] };
    for (const role of ['officer', 'supervisor', 'admin'] as const)
      for (let n = 1; n <= (role === 'admin' ? 1 : CONNECTIONS); n++) {
        const name = `${role === 'officer' ? 'Cán bộ' : role === 'supervisor' ? 'Lãnh đạo' : 'Quản trị'} ${n}`;
        await createUser(
          db.kysely,
          { name, unitId: role === 'admin' ? null : home, role, password: PASSWORD },
          'bench',
        );
        people[role].push(name);
      }
    const seedSeconds = (performance.now() - started) / 1000;
    const planId = (await db.kysely.selectFrom('plans').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
    await db.close();

    const port = await freePort();
    server = await startLoa(['serve', '--port', String(port)], config, { LOA_PORT: String(port) }, /đang phục vụ/);
    const base = `http://127.0.0.1:${port}`;
    const cookies: Record<Role, string[]> = { officer: [], supervisor: [], admin: [] };
    for (const role of ['officer', 'supervisor', 'admin'] as const)
      for (const name of people[role]) cookies[role].push(await signIn(base, name));

    const writer = WRITES_PER_SECOND > 0 ? await startWriter(database.url, WRITES_PER_SECOND) : undefined;
    const loadBefore = loadAverage();
    const rows = [];
    const wanted = (process.env.LOA_BENCH_PAGES ?? '').split(',').filter(Boolean);
    for (const page of pages(planId).filter((p) => wanted.length === 0 || wanted.some((w) => p.name.includes(w)))) {
      const jar = cookies[page.as];
      const br = await sentBytes(base, page.path, jar[0]!, 'br');
      const gzip = await sentBytes(base, page.path, jar[0]!, 'gzip');
      const plain = await sentBytes(base, page.path, jar[0]!, 'identity');
      let next = 0;
      const load = (more: { duration: number } | { amount: number }) =>
        autocannon({
          url: base,
          connections: CONNECTIONS,
          timeout: 10,
          ...more,
          requests: [
            {
              method: 'GET',
              path: page.path,
              // Each request carries one of the people's sessions in turn.
              setupRequest: (req) => ({
                ...req,
                headers: { cookie: jar[next++ % jar.length]!, 'accept-encoding': 'br, gzip' },
              }),
            },
          ],
        });
      // Two requests per person first, not measured: the first page measured otherwise carried the server's warm-up
      // (code compiled on first use), and each person's first view of a page fills what later views reuse.
      await load({ amount: 2 * CONNECTIONS });
      const cpuBefore = cpuMs(server.pid!);
      const result = await load({ duration: seconds });
      const cpuPerRequest = (cpuMs(server.pid!) - cpuBefore) / Math.max(1, result.requests.total);
      const failed = result.non2xx + result.errors + result.timeouts;
      const met =
        result.requests.total > 0 &&
        result.latency.p99 < P99_TARGET_MS &&
        Math.max(br, gzip) < SIZE_TARGET_BYTES &&
        failed === 0;
      rows.push({
        'trang (người xem)': `${page.name} (${page.as})`,
        'req/s': Math.round(result.requests.average),
        'p50 ms': result.latency.p50,
        'p99 ms': result.latency.p99,
        'CPU ms/req': +cpuPerRequest.toFixed(1),
        'br KB': +(br / 1024).toFixed(1),
        'gzip KB': +(gzip / 1024).toFixed(1),
        'gốc KB': +(plain / 1024).toFixed(0),
        lỗi: failed,
        'đạt?': met ? 'đạt' : 'CHƯA',
      });
    }
    await writer?.stop();
    return { rows, seeded, seedSeconds, loadBefore, loadAfter: loadAverage(), writes: writer?.done() ?? 0 };
  } finally {
    if (server) await stopProcess(server);
    await db.close().catch(() => undefined);
    await database.drop();
  }
}

/**
 * LOA_BENCH_WRITES_PER_S (default 5): while pages are measured, another connection (as a worker publishing, or an
 * officer saving, in another process) writes to the database this many times a second. Desk pages keep what they read
 * while the data does not change (src/http/pages/kept-reads.ts); each write makes the next view of every page read
 * afresh, as it would while a worker publishes. 0 measures a store nobody writes to.
 */
const WRITES_PER_SECOND = Number(process.env.LOA_BENCH_WRITES_PER_S ?? 5);

/** Writes to a publication (its `updated_at`) `perSecond` times a second on a connection of its own. */
async function startWriter(url: string, perSecond: number) {
  const db = connect(url);
  const ids = (await db.kysely.selectFrom('publications').select('id').limit(100).execute()).map((r) => r.id);
  let done = 0;
  let writing = Promise.resolve();
  const timer = setInterval(() => {
    writing = writing.then(async () => {
      await db.kysely
        .updateTable('publications')
        .set({ updated_at: new Date().toISOString() })
        .where('id', '=', ids[done % ids.length]!)
        .execute();
      done++;
    });
  }, 1000 / perSecond);
  return {
    done: () => done,
    stop: async () => {
      clearInterval(timer);
      await writing;
      await db.close();
    },
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const seconds = Number(process.env.LOA_BENCH_SECONDS ?? (options.quick ? 2 : 5));
  const kinds = DATABASE_KINDS.filter((k) => options.only.length === 0 || options.only.includes(k));
  const cpus = os.cpus();
  console.log(
    `Máy: ${cpus[0]?.model ?? '?'} × ${cpus.length} lõi, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB, Node ${process.versions.node}; ` +
      `${CONNECTIONS} kết nối, ${seconds} s mỗi trang; mục tiêu p99 < ${P99_TARGET_MS} ms và < ${SIZE_TARGET_BYTES / 1024} KB đã nén.`,
  );
  console.log(
    'Máy dùng chung với các phiên khác: tải trung bình (1, 5, 15 phút) được in kèm, con số là bi quan khi tải cao.',
  );
  console.log(
    `Trong khi đo, một kết nối khác ghi vào cơ sở dữ liệu ${WRITES_PER_SECOND} lần mỗi giây (LOA_BENCH_WRITES_PER_S): ` +
      'mỗi lần ghi, các trang phải đọc lại dữ liệu như khi tiến trình đăng bài đang chạy.',
  );
  for (const kind of kinds) {
    const r = await run(kind, options.quick, seconds);
    console.log(
      `\n${kind}: ${r.seeded.items.toLocaleString('vi-VN')} bài (${r.seeded.waiting} chờ duyệt), ` +
        `${r.seeded.publications.toLocaleString('vi-VN')} lượt đăng, ${r.seeded.attempts.toLocaleString('vi-VN')} lần thử, ` +
        `${r.seeded.auditRows.toLocaleString('vi-VN')} dòng nhật ký thao tác, ${r.seeded.units.length} đơn vị, ` +
        `${r.seeded.plans} kế hoạch; tạo dữ liệu ${r.seedSeconds.toFixed(1)} s. ` +
        `Tải trung bình trước ${r.loadBefore}, sau ${r.loadAfter}. Số lần ghi trong khi đo: ${r.writes}.`,
    );
    console.table(r.rows);
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
