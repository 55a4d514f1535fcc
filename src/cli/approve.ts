import type { Command } from 'commander';

import { AS_OPTION, wholeNumber } from './options';
import { actionsFrom } from './program';

const run = actionsFrom(() => require('./run/approve') as typeof import('./run/approve'));

export function register(program: Command): void {
  program
    .command('approve')
    .description('duyệt nội dung để được đăng (ghi người duyệt và thời điểm); người duyệt không được là người viết')
    .argument('[số...]', 'số của các nội dung cần duyệt')
    .option('--plan <số>', 'duyệt mọi nội dung chưa duyệt của kế hoạch này', wholeNumber('--plan'))
    .option('--requeue', 'các lượt đăng đã quá hạn vì chưa duyệt thì đưa vào hàng đợi đăng ngay')
    .option(...AS_OPTION)
    .action(run('approve'));

  program
    .command('reject')
    .description('trả lại nội dung cho người viết, kèm lý do (bỏ duyệt nếu đã duyệt)')
    .argument('<số>', 'số của nội dung', wholeNumber('số'))
    .requiredOption('--reason <lý do>', 'lý do trả lại')
    .option(...AS_OPTION)
    .action(run('reject'));
}
