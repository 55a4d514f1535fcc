import type { Command } from 'commander';

import { AS_OPTION } from './options';
import { actionsFrom } from './program';

const run = actionsFrom(() => require('./run/import') as typeof import('./run/import'));

export function register(program: Command): void {
  program
    .command('import')
    .description(
      'nhập một kế hoạch (.txt, .docx, .pdf có lớp chữ); nhập lại bản đã sửa sẽ cho biết thay đổi và giữ các nội dung đã viết',
    )
    .argument('<tệp>', 'tệp kế hoạch')
    .option('--json', 'in kế hoạch đã đọc dạng JSON')
    .option(...AS_OPTION)
    .action(run('importPlan'));

  program
    .command('plans')
    .description('liệt kê các kế hoạch đã nhập')
    .option('--json', 'in dạng JSON')
    .action(run('plans'));
}
