import type { Command } from 'commander';
import { ValidationError } from '../domain/errors';
import { approveAs, rejectAs } from '../actions/items';
import { listItems } from '../store/items';
import { AS_OPTION, cliActor, wholeNumber, withStore } from './context';
import { pushToQueue } from './queue';

export function register(program: Command): void {
  program
    .command('approve')
    .description('duyệt nội dung để được đăng (ghi người duyệt và thời điểm); người duyệt không được là người viết')
    .argument('[số...]', 'số của các nội dung cần duyệt')
    .option('--plan <số>', 'duyệt mọi nội dung chưa duyệt của kế hoạch này', wholeNumber('--plan'))
    .option('--requeue', 'các lượt đăng đã quá hạn vì chưa duyệt thì đưa vào hàng đợi đăng ngay')
    .option(...AS_OPTION)
    .action(async (ids: string[], options: { plan?: number; requeue?: boolean; as?: string }) => {
      const approver = cliActor(options);
      const wanted = ids.map((id) => wholeNumber('số')(id));
      if (wanted.length === 0 && options.plan === undefined) throw new ValidationError('số', 'cần số nội dung, hoặc --plan để duyệt cả kế hoạch');
      await withStore(async (db) => {
        const fromPlan = options.plan === undefined ? [] : (await listItems(db.kysely, { planId: options.plan, approved: false })).map((i) => i.id);
        let requeued = 0;
        for (const id of [...wanted, ...fromPlan]) {
          const result = await approveAs(db.kysely, approver, id, { requeue: options.requeue });
          console.log(`Đã duyệt nội dung số ${result.item.id}: ${result.item.title}`);
          for (const p of result.requeued) console.log(`  Đưa lại vào hàng đợi: ${p}`);
          if (result.expired.length) console.log(`  Còn ${result.expired.length} lượt đăng đã quá hạn (${result.expired.join(', ')}); muốn đăng thì duyệt lại với --requeue.`);
          requeued += result.requeued.length;
        }
        if (requeued) await pushToQueue(db.kysely);
      });
    });

  program
    .command('reject')
    .description('trả lại nội dung cho người viết, kèm lý do (bỏ duyệt nếu đã duyệt)')
    .argument('<số>', 'số của nội dung', wholeNumber('số'))
    .requiredOption('--reason <lý do>', 'lý do trả lại')
    .option(...AS_OPTION)
    .action(async (id: number, options: { reason: string; as?: string }) => {
      const item = await withStore((db) => rejectAs(db.kysely, cliActor(options), id, options.reason));
      console.log(`Đã trả lại nội dung số ${item.id} cho ${item.author}: ${options.reason}`);
    });
}
