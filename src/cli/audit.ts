import type { Command } from 'commander';

import { actionsFrom } from './program';

const run = actionsFrom(() => require('./run/audit') as typeof import('./run/audit'));

export function register(program: Command): void {
  program
    .command('audit')
    .description('nhật ký thao tác: ai làm gì, lúc nào, từ đâu (CLI, mã API, trình duyệt); chỉ ghi thêm, không xóa')
    .option('--unit <đơn vị>', 'chỉ của đơn vị này (và các thao tác toàn tỉnh)')
    .option('--action <việc>', 'chỉ việc này, ví dụ item.approve, publishing.pause')
    .option('--from <ngày>', 'từ thời điểm (giờ Việt Nam)')
    .option('--to <ngày>', 'đến trước thời điểm (giờ Việt Nam)')
    .option('--json', 'in dạng JSON (thời gian theo UTC)')
    .action(run('audit'));
}
