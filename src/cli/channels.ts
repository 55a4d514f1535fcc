import type { Command } from 'commander';
import { PLATFORMS, type Platform } from '../domain/channel';
import { ValidationError } from '../domain/errors';
import { slugify } from '../domain/text';
import { getChannel, listChannels, saveChannel } from '../store/channels';
import { channelStatuses, dueWaitingPublications, pauseChannel, resumeChannel } from '../store/channel-pause';
import { setChannelSecret } from '../store/channel-secrets';
import { secretKeyFromEnv } from '../store/secret-cipher';
import type { Db } from '../store';
import { readSecretFromStdin } from './secret-input';
import { ensureUnit, getUnit, listUnits } from '../store/units';
import { AS_OPTION, actor, config, lazy, printJson, withStore } from './context';
import { formatTable } from './table';

function parseSettings(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ValidationError('--settings', `không phải JSON hợp lệ (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ValidationError('--settings', 'phải là một đối tượng JSON { … }');
  return value as Record<string, unknown>;
}

/** The adapter's own check of a channel's settings, as a ValidationError naming --settings. */
function checkSettings(platform: Platform, settings: Record<string, unknown>): void {
  const { createAdapters } = lazy<typeof import('../../channels')>('../../channels');
  try {
    createAdapters(config)[platform]?.checkSettings?.(settings);
  } catch (error) {
    throw new ValidationError('--settings', (error as Error).message);
  }
}

/** The adapter's own check of a secret (e.g. a Zalo token pair as JSON), as a ValidationError naming --secret-stdin. */
function prepareSecret(platform: Platform, secret: string): string {
  const { createAdapters } = lazy<typeof import('../../channels')>('../../channels');
  try {
    return createAdapters(config)[platform]?.prepareSecret?.(secret, new Date()) ?? secret;
  } catch (error) {
    throw new ValidationError('--secret-stdin', (error as Error).message);
  }
}

/**
 * A resumed channel's due publications were delayed while it was paused: wake their jobs now. Without Redis the
 * worker's own re-check still publishes them within LOA_PAUSED_RECHECK_MS.
 */
async function wakeResumed(db: Db, channelId: string, platform: Platform): Promise<void> {
  const ids = await dueWaitingPublications(db.kysely, channelId);
  if (ids.length === 0) return;
  const { redisReachable } = lazy<typeof import('../queue/redis')>('../queue/redis');
  if (!(await redisReachable(config.redisUrl))) {
    console.log(`${ids.length} bài đang chờ sẽ được đăng khi tiến trình đăng bài kiểm tra lại (không kết nối được Redis lúc này).`);
    return;
  }
  const { PublishQueues } = lazy<typeof import('../queue/queues')>('../queue/queues');
  const { wakeWaiting } = lazy<typeof import('../queue/wake-waiting')>('../queue/wake-waiting');
  const queues = new PublishQueues(config.redisUrl, config.queuePrefix);
  try {
    const woken = await wakeWaiting(queues, platform, ids);
    console.log(`${ids.length} bài đang chờ được đăng tiếp (${woken} được đánh thức ngay).`);
  } finally {
    await queues.close();
  }
}

export function register(program: Command): void {
  const units = program.command('units').description('các đơn vị (sở, ngành, xã) dùng Loa');
  units
    .command('list', { isDefault: true })
    .description('liệt kê đơn vị')
    .option('--json', 'in dạng JSON')
    .action(async (options: { json?: boolean }) => {
      const found = await withStore((db) => listUnits(db.kysely));
      if (options.json) printJson(found);
      else console.log(formatTable(found.map((u) => ({ ...u })), [['id', 'Mã'], ['name', 'Tên', 70]]));
    });
  units
    .command('add')
    .description('thêm một đơn vị')
    .argument('<tên>', 'tên đơn vị, ví dụ "UBND xã Tân Lập"')
    .option(...AS_OPTION)
    .action(async (name: string, options: { as?: string }) => {
      const who = actor(options);
      const unit = await withStore((db) => ensureUnit(db.kysely, name, who));
      console.log(`Đơn vị ${unit.id}: ${unit.name}`);
    });

  const channels = program.command('channels').description('các kênh đăng: cổng thông tin, đài truyền thanh, trang Facebook, Zalo OA của từng đơn vị');
  channels
    .command('list', { isDefault: true })
    .description('liệt kê kênh')
    .option('--json', 'in dạng JSON')
    .action(async (options: { json?: boolean }) => {
      const found = await withStore(async (db) => {
        const statuses = await channelStatuses(db.kysely);
        return (await listChannels(db.kysely)).map((c) => ({ ...c, paused: statuses.get(c.id)?.pausedReason ?? null, hasSecret: statuses.get(c.id)?.hasSecret ?? false }));
      });
      if (options.json) printJson(found);
      else
        console.log(
          formatTable(
            found.map((c) => ({ ...c, settings: JSON.stringify(c.settings), secret: c.hasSecret ? 'đã lưu (mã hóa)' : '', state: c.paused === null ? 'hoạt động' : `tạm dừng: ${c.paused}` })),
            [['id', 'Mã'], ['platform', 'Nền tảng'], ['unitId', 'Đơn vị', 30], ['name', 'Tên', 40], ['settings', 'Cài đặt', 60], ['secret', 'Bí mật'], ['state', 'Trạng thái', 50]],
          ),
        );
    });
  channels
    .command('add')
    .description('thêm hoặc sửa một kênh của một đơn vị (token: dùng --secret-stdin, không bao giờ ghi trên dòng lệnh)')
    .requiredOption('--unit <đơn vị>', 'đơn vị sở hữu kênh (mã hoặc tên)')
    .requiredOption('--platform <nền tảng>', `một trong: ${PLATFORMS.join(', ')}`)
    .requiredOption('--name <tên>', 'tên kênh, ví dụ "Đài truyền thanh xã Tân Lập"')
    .option('--id <mã>', 'mã kênh (mặc định: từ tên)')
    .option('--settings <json>', 'cài đặt của kênh, ví dụ đài: {"dialect":"south","syllablesPerMinute":180}', '{}')
    .option('--secret-stdin', 'đọc bí mật của kênh (token) từ đầu vào chuẩn; được lưu mã hóa bằng LOA_SECRET_KEY')
    .option(...AS_OPTION)
    .action(async (options: { unit: string; platform: string; name: string; id?: string; settings: string; secretStdin?: boolean; as?: string }) => {
      const who = actor(options);
      if (!PLATFORMS.includes(options.platform as Platform)) throw new ValidationError('--platform', `"${options.platform}" không có; chọn một trong: ${PLATFORMS.join(', ')}`);
      const platform = options.platform as Platform;
      const settings = parseSettings(options.settings);
      checkSettings(platform, settings);
      // The key is checked and the secret read before anything is written: a refused secret leaves no half-made channel.
      const key = options.secretStdin ? secretKeyFromEnv() : null;
      const secret = options.secretStdin ? prepareSecret(platform, await readSecretFromStdin()) : null;
      const id = options.id ?? slugify(options.name);
      await withStore(async (db) => {
        const unit = await getUnit(db.kysely, options.unit);
        const resumed = await db.kysely.transaction().execute(async (tx) => {
          await saveChannel(tx, { id, unitId: unit.id, platform, name: options.name.normalize('NFC').trim(), settings }, who);
          return secret !== null && key !== null ? (await setChannelSecret(tx, id, secret, who, key)).resumed : false;
        });
        if (resumed) await wakeResumed(db, id, platform);
      });
      console.log(`Đã lưu kênh ${id} (${platform}) của đơn vị ${options.unit}${secret !== null ? ', bí mật đã được mã hóa và lưu' : ''}.`);
    });
  channels
    .command('edit')
    .description('sửa tên, cài đặt hoặc bí mật (token) của một kênh; nhập token mới cũng chạy lại kênh đang tạm dừng')
    .argument('<mã>', 'mã kênh (xem: loa channels)')
    .option('--name <tên>', 'tên mới')
    .option('--settings <json>', 'cài đặt mới (thay toàn bộ cài đặt cũ)')
    .option('--secret-stdin', 'đọc bí mật mới (token) từ đầu vào chuẩn; được lưu mã hóa bằng LOA_SECRET_KEY')
    .option(...AS_OPTION)
    .action(async (id: string, options: { name?: string; settings?: string; secretStdin?: boolean; as?: string }) => {
      const who = actor(options);
      if (options.name === undefined && options.settings === undefined && !options.secretStdin) throw new ValidationError('tùy chọn', 'cần ít nhất một trong --name, --settings, --secret-stdin');
      const key = options.secretStdin ? secretKeyFromEnv() : null;
      const resumed = await withStore(async (db) => {
        const channel = await getChannel(db.kysely, id);
        const settings = options.settings !== undefined ? parseSettings(options.settings) : channel.settings;
        if (options.settings !== undefined) checkSettings(channel.platform, settings);
        const secret = options.secretStdin ? prepareSecret(channel.platform, await readSecretFromStdin()) : null;
        const name = options.name !== undefined ? options.name.normalize('NFC').trim() : channel.name;
        if (name === '') throw new ValidationError('--name', 'không được để trống');
        const wasPaused = await db.kysely.transaction().execute(async (tx) => {
          await saveChannel(tx, { ...channel, name, settings }, who);
          return secret !== null && key !== null ? (await setChannelSecret(tx, id, secret, who, key)).resumed : false;
        });
        if (wasPaused) await wakeResumed(db, id, channel.platform);
        return wasPaused;
      });
      console.log(`Đã sửa kênh ${id}${options.secretStdin ? ', bí mật mới đã được mã hóa và lưu' : ''}${resumed ? '; kênh chạy lại' : ''}.`);
    });
  channels
    .command('pause')
    .description('tạm dừng một kênh: các bài đến hạn sẽ chờ, không đăng và không bị tính thất bại')
    .argument('<mã>', 'mã kênh')
    .requiredOption('--ly-do <lý do>', 'lý do tạm dừng, hiện trong loa log và loa doctor')
    .option(...AS_OPTION)
    .action(async (id: string, options: { lyDo: string; as?: string }) => {
      const who = actor(options);
      const reason = options.lyDo.normalize('NFC').trim();
      if (!reason) throw new ValidationError('--ly-do', 'không được để trống');
      const paused = await withStore(async (db) => {
        await getChannel(db.kysely, id);
        return pauseChannel(db.kysely, id, reason, who);
      });
      console.log(paused ? `Đã tạm dừng kênh ${id}.` : `Kênh ${id} đã tạm dừng từ trước (giữ lý do cũ).`);
    });
  channels
    .command('resume')
    .description('chạy lại một kênh đang tạm dừng: các bài đang chờ được đăng tiếp')
    .argument('<mã>', 'mã kênh')
    .option(...AS_OPTION)
    .action(async (id: string, options: { as?: string }) => {
      actor(options);
      const resumed = await withStore(async (db) => {
        const channel = await getChannel(db.kysely, id);
        const was = await resumeChannel(db.kysely, id);
        if (was) await wakeResumed(db, id, channel.platform);
        return was;
      });
      console.log(resumed ? `Kênh ${id} đã chạy lại.` : `Kênh ${id} không tạm dừng.`);
    });
}
