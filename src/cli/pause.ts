import type { Command } from 'commander';

import { AS_OPTION } from './options';
import { actionsFrom } from './program';

const run = actionsFrom(() => require('./run/pause') as typeof import('./run/pause'));

export function register(program: Command): void {
  program
    .command('pause')
    .description(
      'tạm dừng khẩn cấp mọi việc đăng bài (toàn tỉnh, hoặc một đơn vị với --unit), có lý do; các bài đến giờ sẽ chờ',
    )
    .option('--unit <đơn vị>', 'chỉ tạm dừng đơn vị này')
    .option('--reason <lý do>', 'lý do, ví dụ "ngày quốc tang"')
    .option('--status', 'chỉ xem đang tạm dừng gì và các bài đang chờ')
    .option(...AS_OPTION)
    .action(run('pause'));

  program
    .command('resume')
    .description('tiếp tục đăng bài sau tạm dừng: các bài còn muốn đăng được đăng ngay, các bài ghi ở --drop bị bỏ')
    .option('--unit <đơn vị>', 'đơn vị đã tạm dừng (không ghi: toàn tỉnh)')
    .option('--drop <mã,...>', 'các bài đăng đến giờ trong lúc tạm dừng mà không muốn đăng nữa')
    .option(...AS_OPTION)
    .action(run('resume'));
}
