import { cancelAs, parseSpacing, queueAs, retryAs } from '../../actions/publications';
import type { ProcessParts } from '../../compose';
import { formatLocal, parsePublishTime } from '../../domain/time';
import { cliActor, config, wholeNumber, withParts, withStore } from '../context';

/** `loa queue` */
export async function queue(
  ids: string[],
  options: { channel: string; at: string; cach: string; as?: string; ngayLapTuc?: boolean },
): Promise<void> {
  const who = cliActor(options);
  const start = parsePublishTime(options.at, '--at', { immediately: options.ngayLapTuc });
  const spacingMs = parseSpacing(options.cach, '--cach');
  const itemIds = ids.map((id) => wholeNumber('số')(id));
  const channelIds = options.channel
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  await withParts(async (parts) => {
    const { db, adapters } = parts;
    const { created, existing, unapproved } = await queueAs(db.kysely, who, adapters, {
      itemIds,
      channelIds,
      start,
      spacingMs,
    });
    for (const itemId of unapproved)
      console.warn(
        `Chú ý: nội dung số ${itemId} chưa được duyệt; nếu chưa duyệt trước giờ đăng, bài sẽ bị bỏ (quá hạn).`,
      );
    for (const p of created) console.log(`Đã lên lịch ${p.id}: ${p.channelId} lúc ${formatLocal(p.scheduledAt)}`);
    for (const id of existing) console.log(`Đã có từ trước, giữ nguyên: ${id}`);
    await pushToQueue(parts);
  });
}

/** `loa retry` */
export async function retry(ids: string[], options: { as?: string }): Promise<void> {
  const who = cliActor(options);
  await withParts(async (parts) => {
    for (const id of ids) {
      await retryAs(parts.db.kysely, who, id);
      console.log(`Đã đưa ${id} vào hàng đợi đăng lại.`);
    }
    await pushToQueue(parts);
  });
}

/** `loa cancel` */
export async function cancel(id: string, options: { as?: string }): Promise<void> {
  const who = cliActor(options);
  await withStore((db) => cancelAs(db.kysely, who, id));
  console.log(`Đã hủy ${id}.`);
}

/** Gives the new or re-queued publications their queue timers now when Redis is up; otherwise the worker does it when it starts. */
export async function pushToQueue({ db, queues }: Pick<ProcessParts, 'db' | 'queues'>): Promise<void> {
  // The queue libraries load only here, so commands that never touch Redis start fast.
  const { redisReachable } = require('../../queue/redis') as typeof import('../../queue/redis');
  const { scheduleDue } = require('../../queue/scheduler') as typeof import('../../queue/scheduler');
  if (!(await redisReachable(config.redisUrl))) {
    console.log(
      'Redis chưa chạy: lịch đã lưu trong cơ sở dữ liệu, tiến trình "loa worker" sẽ đưa vào hàng đợi khi chạy.',
    );
    return;
  }
  const { newlyQueued } = await scheduleDue(db.kysely, queues);
  if (newlyQueued) console.log(`Đã đưa ${newlyQueued} bài đến hạn trong khung giờ tới vào hàng đợi.`);
}
