import type { Command } from 'commander';

import { AS_OPTION, config, wholeNumber } from './options';
import { actionsFrom } from './program';

const run = actionsFrom(() => require('./run/calendar') as typeof import('./run/calendar'));

export function register(program: Command): void {
  program
    .command('calendar')
    .description('đề xuất lịch nội dung cho một khoảng thời gian từ lĩnh vực, kênh và thời gian của kế hoạch')
    .argument('<kế hoạch>', 'số kế hoạch trong Loa', wholeNumber('kế hoạch'))
    .requiredOption('--from <ngày>', 'ngày đầu, ví dụ 01/06/2026')
    .requiredOption('--to <ngày>', 'ngày cuối (tính cả ngày này)')
    .option('--unit <đơn vị>', 'đơn vị viết các nội dung (đặt sẵn bằng biến LOA_UNIT)', config.defaultUnit)
    .option('--apply', 'lưu các bản nháp và lịch đăng (chưa duyệt: cần duyệt trước khi đăng)')
    .option('--json', 'in đề xuất dạng JSON')
    .option(...AS_OPTION)
    .action(run('calendar'));
}
