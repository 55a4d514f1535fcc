import { approveAs, rejectAs } from '../../actions/items';
import { ValidationError } from '../../domain/errors';
import { listItems } from '../../store/items';
import { cliActor, wholeNumber, withParts, withStore } from '../context';
import { pushToQueue } from './queue';

/** `loa approve` */
export async function approve(
  ids: string[],
  options: { plan?: number; requeue?: boolean; as?: string },
): Promise<void> {
  const approver = cliActor(options);
  const wanted = ids.map((id) => wholeNumber('số')(id));
  if (wanted.length === 0 && options.plan === undefined)
    throw new ValidationError('số', 'cần số nội dung, hoặc --plan để duyệt cả kế hoạch');
  await withParts(async (parts) => {
    const { db } = parts;
    const fromPlan =
      options.plan === undefined
        ? []
        : (await listItems(db.kysely, { planId: options.plan, approved: false })).map((i) => i.id);
    let requeued = 0;
    for (const id of [...wanted, ...fromPlan]) {
      const result = await approveAs(db.kysely, approver, id, { requeue: options.requeue });
      console.log(`Đã duyệt nội dung số ${result.item.id}: ${result.item.title}`);
      for (const p of result.requeued) console.log(`  Đưa lại vào hàng đợi: ${p}`);
      if (result.expired.length)
        console.log(
          `  Còn ${result.expired.length} lượt đăng đã quá hạn (${result.expired.join(', ')}); muốn đăng thì duyệt lại với --requeue.`,
        );
      requeued += result.requeued.length;
    }
    if (requeued) await pushToQueue(parts);
  });
}

/** `loa reject` */
export async function reject(id: number, options: { reason: string; as?: string }): Promise<void> {
  const item = await withStore((db) => rejectAs(db.kysely, cliActor(options), id, options.reason));
  console.log(`Đã trả lại nội dung số ${item.id} cho ${item.author}: ${options.reason}`);
}
