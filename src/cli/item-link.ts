import type { Command } from 'commander';
import { linkItemActivities } from '../store/item-activities';
import { AS_OPTION, actor, wholeNumber, withStore } from './context';

/** `loa items link ID --activity a,b`: the item carries out these key activities of its plan (counted by `loa report`). */
export function registerItemLink(items: Command): void {
  items
    .command('link')
    .description('gắn nội dung với hoạt động trọng tâm của kế hoạch (a, b, …) để báo cáo tính là đã thực hiện')
    .argument('<số>', 'số của nội dung', wholeNumber('số'))
    .requiredOption('--activity <a,b>', 'nhãn hoạt động trong kế hoạch, cách nhau bằng dấu phẩy')
    .option(...AS_OPTION)
    .action(async (id: number, options: { activity: string; as?: string }) => {
      const who = actor(options);
      const labels = await withStore((db) => linkItemActivities(db.kysely, id, options.activity.split(','), who, '--activity'));
      console.log(`Nội dung số ${id} thực hiện hoạt động: ${labels.join(', ')}`);
    });
}
