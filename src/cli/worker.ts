import type { Command } from 'commander';
import { redisReachable } from '../queue/redis';
import { OperationalError } from '../domain/errors';
import { maskUrl } from '../domain/secrets';
import { config, lazy } from './context';

export function register(program: Command): void {
  program
    .command('worker')
    .description('chạy tiến trình đăng bài: đưa bài đến hạn vào hàng đợi và đăng đúng giờ (dừng bằng Ctrl+C hoặc SIGTERM)')
    .action(async () => {
      if (!(await redisReachable(config.redisUrl))) throw new OperationalError(`không kết nối được Redis ở ${maskUrl(config.redisUrl)}; chạy Redis hoặc sửa LOA_REDIS_URL ("loa doctor" chỉ cách sửa).`);
      const { runWorkerUntilSignal } = lazy<typeof import('../../worker/run')>('../../worker/run');
      await runWorkerUntilSignal(config);
    });
}
