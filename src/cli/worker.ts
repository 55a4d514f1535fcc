import type { Command } from 'commander';
import { redisReachable } from '../queue/redis';
import { config, lazy } from './context';

export function register(program: Command): void {
  program
    .command('worker')
    .description('chạy tiến trình đăng bài: đưa bài đến hạn vào hàng đợi và đăng đúng giờ (dừng bằng Ctrl+C hoặc SIGTERM)')
    .action(async () => {
      if (!(await redisReachable(config.redisUrl))) throw new Error('Không kết nối được Redis. Chạy "loa doctor" để xem cách sửa.');
      const { startWorker } = lazy<typeof import('../../worker/worker')>('../../worker/worker');
      const running = await startWorker(config);
      running.events.on('done', (id, result) => console.log(`${new Date().toISOString()} ${id}: ${result}`));
      running.events.on('failed', (id, message) => console.log(`${new Date().toISOString()} ${id}: lỗi: ${message}`));
      running.events.on('waiting', (id, why) => console.log(`${new Date().toISOString()} ${id}: chờ, ${why}`));
      running.events.on('scheduled', (count) => console.log(`${new Date().toISOString()} đưa ${count} bài vào hàng đợi`));
      console.log(`Tiến trình đăng bài đang chạy (pid ${process.pid}).`);
      await new Promise<void>((resolve) => {
        const shutdown = (signal: string) => {
          console.log(`Nhận ${signal}: chờ các bài đang đăng xong rồi dừng…`);
          running.stop().then(resolve, (error: Error) => {
            console.error(error.message);
            resolve();
          });
        };
        process.once('SIGTERM', () => shutdown('SIGTERM'));
        process.once('SIGINT', () => shutdown('SIGINT'));
      });
      console.log('Đã dừng.');
    });
}
