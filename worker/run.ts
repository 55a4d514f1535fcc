import type { Config } from '../src/config';
import { queueSettings } from '../src/queue/settings';
import { consoleLog } from './log';
import { startWorker, type WorkerOptions } from './worker';

/**
 * Runs the worker until SIGTERM or SIGINT, then drains. The process ends within LOA_DRAIN_MS whatever happens:
 * in-flight calls are abandoned at the end of the drain (their publications are left for reconciliation), and a
 * last timer ends the process if closing itself hangs.
 */
export async function runWorkerUntilSignal(config: Config, options: WorkerOptions = {}): Promise<void> {
  const log = options.log ?? consoleLog;
  const running = await startWorker(config, {
    ...options,
    listen: (events) => {
      events.on('done', (id, result) => log('info', `${id}: ${result}`));
      events.on('failed', (id, message) => log('warn', `${id}: lỗi: ${message}`));
      events.on('scheduled', (count) => log('info', `đưa ${count} bài vào hàng đợi`));
      options.listen?.(events);
    },
  });
  log('info', 'tiến trình đăng bài đang chạy'); // the logger adds the pid to every line
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      log('info', `nhận ${signal}: chờ các bài đang đăng xong rồi dừng`, {
        toi_da_giay: Math.round(queueSettings.drainTimeoutMs / 1000),
      });
      setTimeout(() => {
        log('error', 'hết thời gian dừng: thoát ngay');
        process.exit(1);
      }, queueSettings.drainTimeoutMs).unref();
      running.stop().then(resolve, (error: Error) => {
        log('error', `lỗi khi dừng: ${error.message}`);
        resolve();
      });
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
  log('info', 'Đã dừng');
}
