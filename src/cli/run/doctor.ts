import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { PLATFORMS } from '../../../channels';
import { Templates } from '../../../channels/template';
import { findSecretKey, maskUrlsIn } from '../../domain/secrets';
import { formatLocal } from '../../domain/time';
import { loadAbbreviations } from '../../speech/dictionary';
import { openStore } from '../../store';
import { listChannels } from '../../store/channels';
import { isPostgresUrl, redactUrl, sqliteFile } from '../../store/connection';
import { integrityProblem, isCorruption, RESTORE_ADVICE } from '../../store/integrity';
import { countStuck } from '../../store/publications';
import { config } from '../context';
import { type Check, checkChannelAccess, type Verdict } from '../doctor-channels';
import { freeSpaceCheck } from '../free-space';

const MARK: Record<Verdict, string> = { ok: '✓', warn: '!', error: '✗' };

function installed(command: string): boolean {
  try {
    execFileSync('which', [command], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function checkDatabase(): Promise<{
  check: Check;
  channels: Awaited<ReturnType<typeof listChannels>>;
  stuck?: Check;
  space?: Check;
}> {
  const where =
    isPostgresUrl(config.databaseUrl) || /^[a-z][a-z0-9+.-]+:/i.test(config.databaseUrl)
      ? redactUrl(config.databaseUrl)
      : path.resolve(config.databaseUrl);
  try {
    const db = await openStore(config.databaseUrl, { defaultUnit: config.defaultUnit });
    const channels = await listChannels(db.kysely);
    const { queueSettings } = require('../../queue/settings') as typeof import('../../queue/settings');
    const stuck = await countStuck(db.kysely, queueSettings.schedulerEveryMs + queueSettings.lockDurationMs);
    const damage = await integrityProblem(db);
    await db.close();
    if (damage) {
      return {
        check: {
          verdict: 'error',
          what: `Cơ sở dữ liệu ${where} bị hỏng (${damage})`,
          fix: RESTORE_ADVICE,
        },
        channels,
      };
    }
    const stuckCheck: Check | undefined = stuck
      ? {
          verdict: 'warn',
          what: `${stuck} bài đăng kẹt ở "đang đăng": tiến trình nhận bài đã ngừng gia hạn (chết hoặc treo)`,
          fix: 'Xem nhật ký của "loa worker"; nếu không còn tiến trình nào chạy, khởi động lại "loa worker" để đối chiếu và đăng tiếp.',
        }
      : undefined;
    return {
      check: { verdict: 'ok', what: `Cơ sở dữ liệu ${where}: kết nối được, cấu trúc đã cập nhật` },
      ...(isPostgresUrl(config.databaseUrl)
        ? {}
        : {
            space: freeSpaceCheck(path.dirname(path.resolve(sqliteFile(config.databaseUrl))), 'Thư mục cơ sở dữ liệu'),
          }),
      channels,
      stuck: stuckCheck,
    };
  } catch (error) {
    // Damage found while opening (the schema's own pages) is not a matter of write permission.
    if (isCorruption(error)) {
      return {
        check: {
          verdict: 'error',
          what: `Cơ sở dữ liệu ${where} bị hỏng (${(error as Error).message})`,
          fix: RESTORE_ADVICE,
        },
        channels: [],
      };
    }
    const fix = isPostgresUrl(config.databaseUrl)
      ? 'Kiểm tra PostgreSQL đang chạy và LOA_DATABASE_URL (máy, cổng, tên cơ sở dữ liệu, người dùng) đúng.'
      : 'Kiểm tra thư mục chứa tệp có quyền ghi, hoặc đặt LOA_DATABASE_URL tới tệp khác.';
    return {
      check: { verdict: 'error', what: `Cơ sở dữ liệu ${where}: ${(error as Error).message}`, fix },
      channels: [],
    };
  }
}

/** How to start the Redis that LOA_REDIS_URL names (its host and port, not always 6379), or to install one. */
function redisHint(url: string): string {
  let host = '127.0.0.1';
  let port = '6379';
  try {
    const parsed = new URL(url);
    host = parsed.hostname || host;
    port = parsed.port || port;
  } catch {
    return `LOA_REDIS_URL không phải địa chỉ Redis hợp lệ (${redactUrl(url)}); dạng đúng: redis://127.0.0.1:6379`;
  }
  const local = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host);
  if (!local)
    return `Kiểm tra Redis ở máy ${host}, cổng ${port} đang chạy và mạng tới được nó (hoặc sửa LOA_REDIS_URL).`;
  return installed('redis-server')
    ? `Chạy: redis-server --daemonize yes --bind 127.0.0.1 --port ${port} --save "" --appendonly no (hoặc đặt LOA_REDIS_URL tới Redis đang chạy).`
    : `Cài Redis: sudo apt-get install redis-server (Debian/Ubuntu), rồi chạy nó ở cổng ${port} (theo LOA_REDIS_URL).`;
}

async function checkRedis(): Promise<Check[]> {
  const { redisReachable } = require('../../queue/redis') as typeof import('../../queue/redis');
  const { PublishQueues } = require('../../queue/queues') as typeof import('../../queue/queues');
  const where = redactUrl(config.redisUrl);
  if (!(await redisReachable(config.redisUrl))) {
    return [
      {
        verdict: 'error',
        what: `Redis ${where}: không kết nối được`,
        fix: redisHint(config.redisUrl),
      },
    ];
  }
  const queues = new PublishQueues(config.redisUrl, config.queuePrefix);
  try {
    const workers = await queues.workerCount(PLATFORMS.names);
    return [
      { verdict: 'ok', what: `Redis ${where}: kết nối được` },
      workers > 0
        ? { verdict: 'ok', what: `Hàng đợi: ${workers} tiến trình đăng bài đang kết nối` }
        : {
            verdict: 'warn',
            what: 'Không có tiến trình đăng bài nào kết nối hàng đợi: bài sẽ không được đăng',
            fix: 'Chạy: npx loa worker',
          },
    ];
  } finally {
    await queues.close();
  }
}

/** A post like the ones the worker renders, so each template is tried as it will be used, with its limits. */
const SAMPLE_POST = {
  item: {
    id: 1,
    title: 'Thủ tục đăng ký khai sinh trực tuyến',
    body: 'Từ ngày 01/7/2026, người dân đăng ký khai sinh trên Cổng dịch vụ công.\nHotline 1900 1234.',
    link: '',
    image: '',
    area: 'Cải cách thủ tục hành chính',
    priority: 'thông thường',
  },
  unit: { id: 'ubnd-xa-mau', name: 'UBND xã Mẫu' },
  channel: { id: 'kenh-mau', name: 'Kênh mẫu' },
  publication: { id: 'i1-kenh-mau-20260701T013000Z', date: '01/07/2026', time: '08:30' },
};

/** What a broadcast slot's opening and closing are rendered with (channels/radio: buildProgramme), not a post. */
const SAMPLE_FRAME = {
  channel: SAMPLE_POST.channel,
  unit: SAMPLE_POST.unit,
  day: { date: '01/07/2026' },
  slot: { name: 'Buổi sáng', start: '06:00', minutes: 15, count: 3 },
};
const FRAME_TEMPLATES = new Set(['radio-opening.liquid', 'radio-closing.liquid']);

async function checkFiles(): Promise<Check[]> {
  const checks: Check[] = [];
  const templates = new Templates(config.templatesDir);
  if (!fs.existsSync(config.templatesDir) || !fs.statSync(config.templatesDir).isDirectory()) {
    return [
      {
        verdict: 'error',
        what: `Thư mục mẫu ${config.templatesDir}: không có`,
        fix: 'Đặt LOA_TEMPLATES_DIR tới thư mục mẫu (bản gốc ở templates/ của Loa), hoặc bỏ biến này để dùng mẫu mặc định.',
      },
    ];
  }
  for (const name of fs.readdirSync(config.templatesDir).filter((f) => f.endsWith('.liquid'))) {
    try {
      templates.check(name);
      await templates.render(name, FRAME_TEMPLATES.has(name) ? SAMPLE_FRAME : SAMPLE_POST);
      checks.push({ verdict: 'ok', what: `Mẫu ${name}: hợp lệ, thử dựng với một bài mẫu được` });
    } catch (error) {
      checks.push({
        verdict: 'error',
        what: (error as Error).message,
        fix: 'Sửa mẫu ở dòng đã nêu (xem hướng dẫn ở đầu tệp mẫu).',
      });
    }
  }
  try {
    const entries = loadAbbreviations(path.join(config.templatesDir, 'abbreviations.tsv'));
    checks.push({ verdict: 'ok', what: `Từ điển viết tắt: ${entries.size} mục` });
  } catch (error) {
    checks.push({
      verdict: 'error',
      what: (error as Error).message,
      fix: 'Sửa dòng đã nêu trong templates/abbreviations.tsv (viết tắt, TAB, tên đầy đủ).',
    });
  }
  try {
    fs.mkdirSync(config.exportDir, { recursive: true });
    fs.accessSync(config.exportDir, fs.constants.W_OK);
    checks.push({ verdict: 'ok', what: `Thư mục xuất kịch bản phát thanh ${config.exportDir}: ghi được` });
    checks.push(freeSpaceCheck(config.exportDir, 'Thư mục xuất'));
  } catch {
    checks.push({
      verdict: 'error',
      what: `Thư mục xuất ${config.exportDir}: không ghi được`,
      fix: 'Đặt LOA_EXPORT_DIR tới thư mục có quyền ghi.',
    });
  }
  checks.push(
    installed('espeak-ng')
      ? { verdict: 'ok', what: 'espeak-ng: có (nghe thử kịch bản phát thanh)' }
      : {
          verdict: 'warn',
          what: 'espeak-ng: chưa cài, không có bản nghe thử kịch bản',
          fix: 'sudo apt-get install espeak-ng',
        },
  );
  return checks;
}

/**
 * Channels saved before secrets were refused in settings may still keep one there in plain text: named by its key
 * only (the value is never shown), with the way to move it to the encrypted store.
 */
function plainSecrets(channels: Awaited<ReturnType<typeof listChannels>>): Check[] {
  return channels.flatMap((channel): Check[] => {
    const key = findSecretKey(channel.settings);
    return key
      ? [
          {
            verdict: 'error',
            what: `Kênh ${channel.id}: cài đặt "${key}" chứa bí mật ở dạng thường (giá trị không hiện ở đây)`,
            fix: `Nhập lại bí mật bằng: loa channels edit ${channel.id} --secret-stdin, rồi xóa "${key}" khỏi --settings.`,
          },
        ]
      : [];
  });
}

/** Whether publishing works, as `/health` says it: heartbeats, overdue work, failing channels, clock offsets. */
async function checkPublishing(): Promise<Check[]> {
  const { healthLimits } = require('../../http/routes/health') as typeof import('../../http/routes/health');
  const { publishingHealth } =
    require('../../store/publishing-health') as typeof import('../../store/publishing-health');
  const limits = healthLimits();
  let health: Awaited<ReturnType<typeof publishingHealth>>;
  const db = await openStore(config.databaseUrl, { defaultUnit: config.defaultUnit });
  try {
    health = await publishingHealth(db.kysely, limits);
  } finally {
    await db.close();
  }
  const seconds = (ms: number) => (ms / 1000).toLocaleString('vi-VN', { maximumFractionDigits: 1 });
  const checks: Check[] = [];
  const silent = health.workers.filter((w) => !w.alive);
  checks.push(
    health.alive > 0
      ? {
          verdict: 'ok',
          what: `Tiến trình đăng bài: ${health.alive} đang chạy (có nhịp tim đúng hạn)`,
        }
      : {
          verdict: 'warn',
          what: `Không tiến trình đăng bài nào có nhịp tim đúng hạn: bài sẽ không được đăng${silent.length ? ` (im lặng: ${silent.map((w) => w.worker).join(', ')})` : ''}`,
          fix: 'Chạy: npx loa worker; tiến trình còn đó mà không có nhịp tim là bị treo (hoặc mất kết nối cơ sở dữ liệu): xem nhật ký của nó rồi khởi động lại.',
        },
  );
  if (health.overdue > 0)
    checks.push({
      verdict: 'warn',
      what: `${health.overdue} bài đã quá giờ đăng hơn ${Math.round(limits.overdueMs / 60_000)} phút mà chưa tiến trình nào nhận`,
      fix: 'Xem "loa log --state scheduled,queued" và nhật ký của "loa worker"; chạy "loa reschedule" nếu hàng đợi đã mất.',
    });
  for (const channel of health.channels.filter((c) => c.failing))
    checks.push({
      verdict: 'warn',
      what: `Kênh ${channel.channel}: những lần đăng gần nhất đều thất bại (lần cuối ${formatLocal(new Date(channel.lastFailure!))}${channel.lastSuccess ? `, đăng được lần cuối ${formatLocal(new Date(channel.lastSuccess))}` : ', chưa đăng được lần nào'})`,
      fix: `Xem lý do: loa log --channel ${channel.channel} --state failed,unconfirmed`,
    });
  for (const worker of health.skewed)
    checks.push({
      verdict: 'warn',
      what: `Đồng hồ của tiến trình ${worker.worker} lệch ${worker.clockOffsetMs > 0 ? '+' : '-'}${seconds(Math.abs(worker.clockOffsetMs))} giây so với cơ sở dữ liệu (cho phép ${seconds(limits.maxClockOffsetMs)} giây)`,
      fix: 'Đồng bộ giờ của máy đó (timedatectl set-ntp true, hoặc chrony).',
    });
  return checks;
}

/** A backup older than this is worth a warning: the worker's daily one, or a person's, has stopped. */
const BACKUP_STALE_MS = 36 * 3_600_000;

function checkBackups(now = new Date()): Check {
  const { lastBackup } = require('../../backup/last-backup') as typeof import('../../backup/last-backup');
  const last = lastBackup(config.backupDir);
  if (!last) {
    return {
      verdict: 'warn',
      what: `Chưa có bản sao lưu nào trong ${config.backupDir} (LOA_BACKUP_DIR)`,
      fix: 'Chạy: loa backup (và cất khóa LOA_SECRET_KEY ở nơi riêng).',
    };
  }
  const hours = Math.floor((now.getTime() - last.at.getTime()) / 3_600_000);
  const age = hours < 48 ? `${hours} giờ trước` : `${Math.floor(hours / 24)} ngày trước`;
  return now.getTime() - last.at.getTime() > BACKUP_STALE_MS
    ? {
        verdict: 'warn',
        what: `Bản sao lưu gần nhất đã cũ: ${path.basename(last.file)}, ${age}`,
        fix: 'Chạy: loa backup; kiểm tra vì sao bản sao lưu hằng ngày không chạy.',
      }
    : { verdict: 'ok', what: `Bản sao lưu gần nhất: ${path.basename(last.file)}, ${age}` };
}

/** `loa doctor` */
export async function doctor(): Promise<void> {
  const node = Number(process.versions.node.split('.')[0]);
  const checks: Check[] = [
    node >= 24
      ? { verdict: 'ok', what: `Node.js ${process.versions.node}` }
      : {
          verdict: node >= 20 ? 'warn' : 'error',
          what: `Node.js ${process.versions.node}: Loa chạy và được kiểm thử trên Node.js 24 LTS${node <= 20 ? ' (Node.js 20 hết được hỗ trợ từ 4/2026)' : ''}`,
          fix: 'Cài Node.js 24 LTS (ví dụ từ https://nodejs.org hoặc gói nodejs 24 của NodeSource).',
        },
  ];
  const database = await checkDatabase();
  checks.push(
    database.check,
    ...(database.stuck ? [database.stuck] : []),
    ...(database.space ? [database.space] : []),
    ...(await checkRedis()),
    ...(database.check.verdict === 'ok' ? await checkPublishing() : []),
    ...(await checkFiles()),
    ...(database.check.verdict === 'ok' ? await checkChannelAccess(database.channels) : []),
  );
  checks.push(...plainSecrets(database.channels));
  checks.push(checkBackups());
  // Whatever a check quotes (a driver's error, a setting), a password in a URL is never printed.
  for (const check of checks) {
    console.log(`${MARK[check.verdict]} ${maskUrlsIn(check.what)}`);
    if (check.fix && check.verdict !== 'ok') console.log(`    → ${maskUrlsIn(check.fix)}`);
  }
  const errors = checks.filter((c) => c.verdict === 'error').length;
  console.log(errors ? `\n${errors} lỗi cần sửa.` : '\nMọi thứ cần thiết đều sẵn sàng.');
  process.exitCode = errors ? 1 : 0;
}
