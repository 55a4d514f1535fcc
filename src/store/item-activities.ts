import type { Kysely } from 'kysely';

import { ValidationError } from '../domain/errors';
import type { StructuredPlan } from '../domain/plan';
import { getItem } from './items';
import type { Database } from './schema';

/**
 * Ties a content item to key activities of its own plan (list labels 'a', 'b', …), so the period report can say an
 * activity was carried out. Labels the plan does not have are refused, naming the ones it has; linking twice is a no-op.
 */
export async function linkItemActivities(
  db: Kysely<Database>,
  itemId: number,
  labels: string[],
  linkedBy: string,
  field = 'activity',
): Promise<string[]> {
  const item = await getItem(db, itemId);
  const plan = await db.selectFrom('plans').select('structure').where('id', '=', item.planId).executeTakeFirstOrThrow();
  const known = (JSON.parse(plan.structure) as StructuredPlan).activities.map((a) => a.label);
  const wanted = [...new Set(labels.map((l) => l.normalize('NFC').trim().replace(/\)$/, '')).filter(Boolean))];
  const unknown = wanted.filter((label) => !known.includes(label));
  if (unknown.length) {
    const have = known.length ? `kế hoạch có: ${known.join(', ')}` : 'kế hoạch này không nêu hoạt động trọng tâm nào';
    throw new ValidationError(
      field,
      `hoạt động "${unknown.join(', ')}" không có trong kế hoạch số ${item.planId} (${have})`,
    );
  }
  const now = new Date().toISOString();
  for (const label of wanted) {
    await db
      .insertInto('item_activities')
      .values({ item_id: itemId, activity_label: label, linked_by: linkedBy, linked_at: now })
      .onConflict((oc) => oc.columns(['item_id', 'activity_label']).doNothing())
      .execute();
  }
  return listItemActivities(db, itemId);
}

export async function listItemActivities(db: Kysely<Database>, itemId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('item_activities')
    .select('activity_label')
    .where('item_id', '=', itemId)
    .orderBy('activity_label')
    .execute();
  return rows.map((r) => r.activity_label);
}
