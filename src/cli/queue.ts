import type { Command } from 'commander';

import { AS_OPTION } from './options';
import { actionsFrom } from './program';

const run = actionsFrom(() => require('./run/queue') as typeof import('./run/queue'));

export function register(program: Command): void {
  program
    .command('queue')
    .description('lên lịch đăng nội dung lên các kênh vào thời điểm đã chọn')
    .argument('<số...>', 'số của các nội dung')
    .requiredOption('--channel <kênh,...>', 'các kênh, cách nhau bằng dấu phẩy (xem: loa channels)')
    .requiredOption('--at <thời điểm>', 'giờ Việt Nam, ví dụ "25/12/2026 08:30", hoặc +10m')
    .option('--cach <khoảng>', 'các nội dung sau cách nhau bao lâu, ví dụ 30s, 1d', '0s')
    .option('--ngay-lap-tuc', 'cho phép giờ đã qua: đăng ngay')
    .option(...AS_OPTION)
    .action(run('queue'));

  program
    .command('retry')
    .description(
      'đăng lại bài đăng thất bại hoặc chưa rõ kết quả (sau khi đã sửa nguyên nhân hoặc đã kiểm tra trên nền tảng)',
    )
    .argument('<mã bài đăng...>', 'mã các bài đăng (xem: loa log --state failed,unconfirmed)')
    .option(...AS_OPTION)
    .action(run('retry'));

  program
    .command('cancel')
    .description('hủy một bài đăng chưa đăng')
    .argument('<mã bài đăng>', 'mã bài đăng (xem: loa log)')
    .option(...AS_OPTION)
    .action(run('cancel'));
}
