import { linkItemActivities } from '../../store/item-activities';
import { actor, withStore } from '../context';

/** `loa items link ID --activity a,b`: the item carries out these key activities of its plan (counted by `loa report`). */
/** `loa items link` */
export async function itemsLink(id: number, options: { activity: string; as?: string }): Promise<void> {
  const who = actor(options);
  const labels = await withStore((db) =>
    linkItemActivities(db.kysely, id, options.activity.split(','), who, '--activity'),
  );
  console.log(`Nội dung số ${id} thực hiện hoạt động: ${labels.join(', ')}`);
}
