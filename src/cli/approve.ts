import type { Command } from 'commander';
import { ValidationError } from '../domain/errors';
import { approveItem, listItems } from '../store/items';
import { AS_OPTION, actor, wholeNumber, withStore } from './context';

export function register(program: Command): void {
  program
    .command('approve')
    .description('duyệt nội dung để được đăng (ghi người duyệt và thời điểm)')
    .argument('[số...]', 'số của các nội dung cần duyệt')
    .option('--plan <số>', 'duyệt mọi nội dung chưa duyệt của kế hoạch này', wholeNumber('--plan'))
    .option(...AS_OPTION)
    .action(async (ids: string[], options: { plan?: number; as?: string }) => {
      const approver = actor(options);
      const wanted = ids.map((id) => wholeNumber('số')(id));
      if (wanted.length === 0 && options.plan === undefined) throw new ValidationError('số', 'cần số nội dung, hoặc --plan để duyệt cả kế hoạch');
      await withStore(async (db) => {
        const fromPlan = options.plan === undefined ? [] : (await listItems(db.kysely, { planId: options.plan, approved: false })).map((i) => i.id);
        for (const id of [...wanted, ...fromPlan]) {
          const item = await approveItem(db.kysely, id, approver);
          console.log(`Đã duyệt nội dung số ${item.id}: ${item.title}`);
        }
      });
    });
}
