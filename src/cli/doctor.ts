import type { Command } from 'commander';

import { actionsFrom } from './program';

const run = actionsFrom(() => require('./run/doctor') as typeof import('./run/doctor'));

export function register(program: Command): void {
  program
    .command('doctor')
    .description('kiểm tra cơ sở dữ liệu, Redis, tiến trình đăng bài, mẫu và các kênh; nói cách sửa')
    .action(run('doctor'));
}
