import type { Command } from 'commander';
import { ValidationError } from '../domain/errors';
import { formatLocal, parsePublishTime } from '../domain/time';
import type { Db } from '../store';
import { getChannel } from '../store/channels';
import { getItem } from '../store/items';
import { movePublication, schedulePublications, type Slot } from '../store/publications';
import { AS_OPTION, actor, config, wholeNumber, withStore, lazy } from './context';

/** "30s", "5m", "2h", "1d" → milliseconds. */
function parseSpacing(text: string): number {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (!m) throw new ValidationError('--cach', `"${text}" không hợp lệ; dùng ví dụ 30s, 5m, 2h, 1d`);
  return Number(m[1]) * { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

export function register(program: Command): void {
  program
    .command('queue')
    .description('lên lịch đăng nội dung lên các kênh vào thời điểm đã chọn')
    .argument('<số...>', 'số của các nội dung')
    .requiredOption('--channel <kênh,...>', 'các kênh, cách nhau bằng dấu phẩy (xem: loa channels)')
    .requiredOption('--at <thời điểm>', 'giờ Việt Nam, ví dụ "25/12/2026 08:30", hoặc +10m')
    .option('--cach <khoảng>', 'các nội dung sau cách nhau bao lâu, ví dụ 30s, 1d', '0s')
    .option('--ngay-lap-tuc', 'cho phép giờ đã qua: đăng ngay')
    .option(...AS_OPTION)
    .action(async (ids: string[], options: { channel: string; at: string; cach: string; as?: string; ngayLapTuc?: boolean }) => {
      const who = actor(options);
      const start = parsePublishTime(options.at, '--at', { immediately: options.ngayLapTuc });
      const spacing = parseSpacing(options.cach);
      const itemIds = ids.map((id) => wholeNumber('số')(id));
      const channelIds = options.channel.split(',').map((c) => c.trim()).filter(Boolean);
      await withStore(async (db) => {
        for (const id of channelIds) await getChannel(db.kysely, id);
        const slots: Slot[] = [];
        for (const [index, itemId] of itemIds.entries()) {
          const item = await getItem(db.kysely, itemId);
          if (!item.approvedAt) console.warn(`Chú ý: nội dung số ${itemId} chưa được duyệt; nếu chưa duyệt trước giờ đăng, bài sẽ bị bỏ (quá hạn).`);
          for (const channelId of channelIds) slots.push({ itemId, channelId, scheduledAt: new Date(start.getTime() + index * spacing) });
        }
        const { created, existing } = await schedulePublications(db.kysely, slots, who);
        for (const p of created) console.log(`Đã lên lịch ${p.id}: ${p.channelId} lúc ${formatLocal(p.scheduledAt)}`);
        for (const id of existing) console.log(`Đã có từ trước, giữ nguyên: ${id}`);
        await pushToQueue(db.kysely);
      });
    });

  program
    .command('retry')
    .description('đăng lại bài đăng thất bại hoặc chưa rõ kết quả (sau khi đã sửa nguyên nhân hoặc đã kiểm tra trên nền tảng)')
    .argument('<mã bài đăng...>', 'mã các bài đăng (xem: loa log --state failed,unconfirmed)')
    .option(...AS_OPTION)
    .action(async (ids: string[], options: { as?: string }) => {
      const who = actor(options);
      await withStore(async (db) => {
        for (const id of ids) {
          await movePublication(db.kysely, id, 'queued', `${who} cho đăng lại`);
          console.log(`Đã đưa ${id} vào hàng đợi đăng lại.`);
        }
        await pushToQueue(db.kysely);
      });
    });

  program
    .command('cancel')
    .description('hủy một bài đăng chưa đăng')
    .argument('<mã bài đăng>', 'mã bài đăng (xem: loa log)')
    .option(...AS_OPTION)
    .action(async (id: string, options: { as?: string }) => {
      const who = actor(options);
      await withStore((db) => movePublication(db.kysely, id, 'cancelled', `hủy bởi ${who}`));
      console.log(`Đã hủy ${id}.`);
    });
}

/** Gives the new or re-queued publications their queue timers now when Redis is up; otherwise the worker does it when it starts. */
async function pushToQueue(db: Db['kysely']): Promise<void> {
  // The queue libraries load only here, so commands that never touch Redis start fast.
  const { redisReachable } = lazy<typeof import('../queue/redis')>('../queue/redis');
  const { PublishQueues } = lazy<typeof import('../queue/queues')>('../queue/queues');
  const { scheduleDue } = lazy<typeof import('../queue/scheduler')>('../queue/scheduler');
  if (!(await redisReachable(config.redisUrl))) {
    console.log('Redis chưa chạy: lịch đã lưu trong cơ sở dữ liệu, tiến trình "loa worker" sẽ đưa vào hàng đợi khi chạy.');
    return;
  }
  const queues = new PublishQueues(config.redisUrl, config.queuePrefix);
  try {
    const { newlyQueued } = await scheduleDue(db, queues);
    if (newlyQueued) console.log(`Đã đưa ${newlyQueued} bài đến hạn trong khung giờ tới vào hàng đợi.`);
  } finally {
    await queues.close();
  }
}
