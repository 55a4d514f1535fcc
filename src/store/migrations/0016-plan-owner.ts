import { type Kysely, sql } from 'kysely';

/**
 * A plan belongs to the unit that imported it: only that unit's officers (and admins) may replace it with a changed
 * version (issue 27). Plans imported before this know only their importer's name: the unit of the account of that
 * name, when there is one; a plan imported on the CLI (an admin, or a name without an account) stays without a unit,
 * which only admins may update.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('plans').addColumn('imported_unit', 'text').execute();
  await sql`update plans set imported_unit = (select u.unit_id from users u where u.name = plans.imported_by)`.execute(
    db,
  );
}
