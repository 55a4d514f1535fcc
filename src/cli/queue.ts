import type { Command } from 'commander';
import { parseLocal, formatLocal } from '../domain/time';
import { cancelAs, parseSpacing, queueAs, retryAs } from '../actions/publications';
import type { Db } from '../store';
import { AS_OPTION, cliActor, config, wholeNumber, withStore, lazy } from './context';

export function register(program: Command): void {
  program
    .command('queue')
    .description('lên lịch đăng nội dung lên các kênh vào thời điểm đã chọn')
    .argument('<số...>', 'số của các nội dung')
    .requiredOption('--channel <kênh,...>', 'các kênh, cách nhau bằng dấu phẩy (xem: loa channels)')
    .requiredOption('--at <thời điểm>', 'giờ Việt Nam, ví dụ "25/12/2026 08:30", hoặc +10m')
    .option('--cach <khoảng>', 'các nội dung sau cách nhau bao lâu, ví dụ 30s, 1d', '0s')
    .option(...AS_OPTION)
    .action(async (ids: string[], options: { channel: string; at: string; cach: string; as?: string }) => {
      const who = cliActor(options);
      const start = parseLocal(options.at, '--at');
      const spacingMs = parseSpacing(options.cach, '--cach');
      const itemIds = ids.map((id) => wholeNumber('số')(id));
      const channelIds = options.channel.split(',').map((c) => c.trim()).filter(Boolean);
      const { createAdapters } = lazy<typeof import('../../channels')>('../../channels');
      await withStore(async (db) => {
        const { created, existing, unapproved } = await queueAs(db.kysely, who, createAdapters(config), { itemIds, channelIds, start, spacingMs });
        for (const itemId of unapproved) console.warn(`Chú ý: nội dung số ${itemId} chưa được duyệt; nếu chưa duyệt trước giờ đăng, bài sẽ bị bỏ (quá hạn).`);
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
      const who = cliActor(options);
      await withStore(async (db) => {
        for (const id of ids) {
          await retryAs(db.kysely, who, id);
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
      const who = cliActor(options);
      await withStore((db) => cancelAs(db.kysely, who, id));
      console.log(`Đã hủy ${id}.`);
    });
}

/** Gives the new or re-queued publications their queue timers now when Redis is up; otherwise the worker does it when it starts. */
export async function pushToQueue(db: Db['kysely']): Promise<void> {
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
