import { OperationalError } from '../../domain/errors';
import { maskUrl } from '../../domain/secrets';
import { config, progress, withStore } from '../context';

/** `loa reschedule` */
export async function reschedule(): Promise<void> {
  const { redisReachable } = require('../../queue/redis') as typeof import('../../queue/redis');
  const { PublishQueues } = require('../../queue/queues') as typeof import('../../queue/queues');
  const { scheduleDue } = require('../../queue/scheduler') as typeof import('../../queue/scheduler');
  if (!(await redisReachable(config.redisUrl)))
    throw new OperationalError(
      `không kết nối được Redis ở ${maskUrl(config.redisUrl)}; chạy Redis hoặc sửa LOA_REDIS_URL ("loa doctor" chỉ cách sửa).`,
    );
  const queues = new PublishQueues(config.redisUrl, config.queuePrefix);
  let bar: ReturnType<typeof progress> | undefined;
  try {
    const { owed } = await withStore((db) =>
      scheduleDue(db.kysely, queues, {
        full: true,
        onProgress: (done, total) => {
          bar ??= progress(total, 'Đang dựng lại hàng đợi');
          bar.tick(done);
        },
      }),
    );
    bar?.stop();
    console.log(`Đã đưa ${owed} bài đăng vào hàng đợi (bài đã có trong hàng đợi được giữ nguyên).`);
  } finally {
    await queues.close();
  }
}
