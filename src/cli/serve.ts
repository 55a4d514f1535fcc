import type { Command } from 'commander';

import { config } from './options';
import { actionsFrom } from './program';

const run = actionsFrom(() => require('./run/serve') as typeof import('./run/serve'));

export function register(program: Command): void {
  program
    .command('serve')
    .description('chạy máy chủ web: nguồn tin RSS của cổng thông tin tại /rss.xml')
    .option('--port <cổng>', 'cổng (đặt sẵn bằng biến LOA_PORT)', process.env.LOA_PORT || String(config.port))
    .option('--host <địa chỉ>', 'địa chỉ lắng nghe', '127.0.0.1')
    .action(run('serve'));
}
