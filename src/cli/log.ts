import type { Command } from 'commander';

import { PUBLICATION_STATES, STATE_LABELS } from '../domain/publication';
import { actionsFrom } from './program';

const run = actionsFrom(() => require('./run/log') as typeof import('./run/log'));

export function register(program: Command): void {
  program
    .command('log')
    .description('nhật ký đăng bài: kênh nào đăng gì, lúc nào, lần thử, lỗi, ai xếp lịch, ai duyệt')
    .option('--channel <kênh>', 'chỉ kênh này')
    .option('--unit <đơn vị>', 'chỉ các kênh của đơn vị này (mã hoặc tên)')
    .option('--from <ngày>', 'từ thời điểm (giờ Việt Nam), ví dụ 01/01/2026')
    .option('--to <ngày>', 'đến trước thời điểm (giờ Việt Nam)')
    .option(
      '--state <trạng thái,...>',
      `trạng thái như bảng ghi (${PUBLICATION_STATES.map((k) => `"${STATE_LABELS[k]}"`).join(', ')}) hoặc mã (${PUBLICATION_STATES.join(', ')})`,
    )
    .option('--json', 'in dạng JSON (thời gian theo UTC)')
    .action(run('log'));
}
