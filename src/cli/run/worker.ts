import { maskUrl } from '../../domain/secrets';
import { redisReachable } from '../../queue/redis';
import { config } from '../context';

/** Longest pause between two looks for Redis while the worker waits for it at start. */
const REDIS_WAIT_MAX_MS = 30_000;

/**
 * A worker started while Redis is down (a machine booting, Redis restarting) waits for it, looking again with a
 * growing pause, and says so once, as it already does when Redis drops later; a signal ends the wait.
 * Exiting instead left the installation publishing nothing until someone restarted the worker by hand.
 */
async function waitForRedis(log: (message: string) => void): Promise<boolean> {
  let stopped = false;
  const stop = () => (stopped = true);
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    let pause = 1_000;
    let told = false;
    while (!(await redisReachable(config.redisUrl))) {
      if (!told) {
        log(
          `chưa kết nối được Redis ở ${maskUrl(config.redisUrl)}: chờ Redis rồi chạy tiếp (thử lại tới mỗi ${REDIS_WAIT_MAX_MS / 1000} giây; "loa doctor" chỉ cách sửa)`,
        );
        told = true;
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
      if (stopped) return false;
      pause = Math.min(pause * 2, REDIS_WAIT_MAX_MS);
    }
    if (told) log('đã kết nối được Redis');
    return true;
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
}

/** `loa worker` */
export async function worker(): Promise<void> {
  const { consoleLog } = require('../../../worker/log') as typeof import('../../../worker/log');
  if (!(await waitForRedis((message) => consoleLog('warn', message)))) return;
  const { runWorkerUntilSignal } = require('../../../worker/run') as typeof import('../../../worker/run');
  await runWorkerUntilSignal(config);
}
