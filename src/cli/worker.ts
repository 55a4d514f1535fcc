import type { Command } from 'commander';

import { actionsFrom } from './program';

const run = actionsFrom(() => require('./run/worker') as typeof import('./run/worker'));

export function register(program: Command): void {
  program
    .command('worker')
    .description(
      'chạy tiến trình đăng bài: đưa bài đến hạn vào hàng đợi và đăng đúng giờ (dừng bằng Ctrl+C hoặc SIGTERM)',
    )
    .action(run('worker'));
}
