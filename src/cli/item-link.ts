import type { Command } from 'commander';

import { AS_OPTION, wholeNumber } from './options';
import { actionsFrom } from './program';

const run = actionsFrom(() => require('./run/item-link') as typeof import('./run/item-link'));

export function registerItemLink(items: Command): void {
  items
    .command('link')
    .description('gắn nội dung với hoạt động trọng tâm của kế hoạch (a, b, …) để báo cáo tính là đã thực hiện')
    .argument('<số>', 'số của nội dung', wholeNumber('số'))
    .requiredOption('--activity <a,b>', 'nhãn hoạt động trong kế hoạch, cách nhau bằng dấu phẩy')
    .option(...AS_OPTION)
    .action(run('itemsLink'));
}
