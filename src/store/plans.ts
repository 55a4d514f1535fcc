import type { Kysely } from 'kysely';

import { NotFoundError } from '../domain/errors';
import type { StructuredPlan } from '../domain/plan';
import type { Database, Row } from './schema';

export interface StoredPlan {
  id: number;
  code: string | null;
  title: string;
  issuer: string | null;
  year: number | null;
  sourceName: string;
  sourceHash: string;
  structure: StructuredPlan;
  importedBy: string;
  /** The unit that imported it: its officers (and admins) may update it; null for admins only. */
  importedUnit: string | null;
  createdAt: Date;
  updatedAt: Date;
}

function toPlan(row: Row<'plans'>): StoredPlan {
  return {
    id: row.id,
    code: row.code,
    title: row.title,
    issuer: row.issuer,
    year: row.year,
    sourceName: row.source_name,
    sourceHash: row.source_hash,
    structure: JSON.parse(row.structure) as StructuredPlan,
    importedBy: row.imported_by,
    importedUnit: row.imported_unit,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

export interface PlanImport {
  plan: StructuredPlan;
  sourceName: string;
  sourceHash: string;
}

export type SaveOutcome =
  | { kind: 'created'; plan: StoredPlan }
  | { kind: 'unchanged'; plan: StoredPlan }
  | { kind: 'updated'; plan: StoredPlan; previous: StructuredPlan };

function planTitle(plan: StructuredPlan, sourceName: string): string {
  return plan.identity.title ?? plan.identity.code?.text ?? sourceName;
}

/**
 * Stores an imported plan in one transaction, with its content areas. The units it names are not created (creating
 * units is an admin's): `unknownUnits` lists them for an admin to add, merge or ignore. The same document twice is
 * recognised by its hash; a changed version of a plan already stored (same code and issuer) replaces its
 * structure and keeps the content items already written for it.
 */
export interface SavePlanOptions {
  /** The importer's unit, the new plan's owner (null: an admin without a unit, or the CLI). */
  unitId?: string | null;
  /** Asked before a changed version replaces `earlier`, inside the transaction; throws to refuse. */
  mayUpdate?: (earlier: StoredPlan) => void;
}

export async function savePlan(
  db: Kysely<Database>,
  imported: PlanImport,
  actor: string,
  options: SavePlanOptions = {},
): Promise<SaveOutcome> {
  return db.transaction().execute(async (tx) => {
    const same = await tx
      .selectFrom('plans')
      .selectAll()
      .where('source_hash', '=', imported.sourceHash)
      .executeTakeFirst();
    if (same) return { kind: 'unchanged', plan: toPlan(same) };

    const { identity } = imported.plan;
    const code = identity.code?.text ?? null;
    const earlier = code
      ? await tx
          .selectFrom('plans')
          .selectAll()
          .where('code', '=', code)
          .where('issuer', identity.issuer === null ? 'is' : '=', identity.issuer)
          .where('year', identity.year === null ? 'is' : '=', identity.year)
          .executeTakeFirst()
      : undefined;
    if (earlier) options.mayUpdate?.(toPlan(earlier));

    const now = new Date().toISOString();
    const values = {
      code,
      title: planTitle(imported.plan, imported.sourceName),
      issuer: identity.issuer,
      year: identity.year,
      issued_on: identity.issueDate,
      source_name: imported.sourceName,
      source_hash: imported.sourceHash,
      structure: JSON.stringify(imported.plan),
      imported_by: actor,
      updated_at: now,
    };
    const row = earlier
      ? await tx.updateTable('plans').set(values).where('id', '=', earlier.id).returningAll().executeTakeFirstOrThrow()
      : await tx
          .insertInto('plans')
          .values({ ...values, imported_unit: options.unitId ?? null, created_at: now })
          .returningAll()
          .executeTakeFirstOrThrow();

    await tx.deleteFrom('plan_areas').where('plan_id', '=', row.id).execute();
    for (const [position, area] of imported.plan.contentAreas.entries()) {
      await tx
        .insertInto('plan_areas')
        .values({ plan_id: row.id, area_key: area.key, position, wording: area.wording })
        .execute();
    }
    const plan = toPlan(row);
    return earlier ? { kind: 'updated', plan, previous: toPlan(earlier).structure } : { kind: 'created', plan };
  });
}

export async function getPlan(db: Kysely<Database>, id: number): Promise<StoredPlan> {
  const row = await db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('kế hoạch', id);
  return toPlan(row);
}

export async function listPlans(db: Kysely<Database>): Promise<StoredPlan[]> {
  return (await db.selectFrom('plans').selectAll().orderBy('id').execute()).map(toPlan);
}

/** The units a plan names that Loa does not know (by id or by name), in the plan's order: proposals for an admin. */
export async function unknownUnits(
  db: Kysely<Database>,
  plan: StructuredPlan,
): Promise<Array<{ key: string; name: string }>> {
  if (plan.units.length === 0) return [];
  const known = await db.selectFrom('units').select(['id', 'name']).execute();
  const ids = new Set(known.map((u) => u.id));
  const names = new Set(known.map((u) => u.name.normalize('NFC').toLocaleLowerCase('vi')));
  return plan.units.filter((u) => !ids.has(u.key) && !names.has(u.name.normalize('NFC').toLocaleLowerCase('vi')));
}
