import { OperationalError } from '../../domain/errors';
import { maskUrl } from '../../domain/secrets';
import { redisReachable } from '../../queue/redis';
import { config } from '../context';

/** `loa worker` */
export async function worker(): Promise<void> {
  if (!(await redisReachable(config.redisUrl)))
    throw new OperationalError(
      `không kết nối được Redis ở ${maskUrl(config.redisUrl)}; chạy Redis hoặc sửa LOA_REDIS_URL ("loa doctor" chỉ cách sửa).`,
    );
  const { runWorkerUntilSignal } = require('../../../worker/run') as typeof import('../../../worker/run');
  await runWorkerUntilSignal(config);
}
