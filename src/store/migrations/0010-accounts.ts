import { type Kysely, sql } from 'kysely';

import type { DialectName } from '../connection';

function autoId(dialect: DialectName) {
  return dialect === 'postgres' ? sql`serial primary key` : sql`integer primary key autoincrement`;
}

/**
 * Accounts and roles per unit, API tokens and browser sessions (stored as hashes only), login failures for
 * throttling, the append-only audit trail, emergency pauses, and rejection of items (four-eyes approval).
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', autoId(dialect))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('unit_id', 'text', (c) => c.references('units.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', autoId(dialect))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('login_failures')
    .addColumn('id', autoId(dialect))
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_failures_account').on('login_failures').columns(['account', 'at']).execute();
  await db.schema.createIndex('login_failures_address').on('login_failures').columns(['address', 'at']).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', autoId(dialect))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('audit_log_unit').on('audit_log').columns(['unit_id', 'at']).execute();
  // Append-only in the database itself, not just by convention: an UPDATE or DELETE is refused by a trigger.
  if (dialect === 'postgres') {
    await sql`CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'nhật ký thao tác chỉ được ghi thêm, không được sửa hay xóa'; END; $$ LANGUAGE plpgsql`.execute(
      db,
    );
    await sql`CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(
      db,
    );
  } else {
    await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'nhật ký thao tác chỉ được ghi thêm, không được sửa hay xóa'); END`.execute(
      db,
    );
    await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'nhật ký thao tác chỉ được ghi thêm, không được sửa hay xóa'); END`.execute(
      db,
    );
  }

  await db.schema
    .createTable('publishing_pauses')
    .addColumn('id', autoId(dialect))
    .addColumn('unit_id', 'text', (c) => c.references('units.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('paused_by', 'text', (c) => c.notNull())
    .addColumn('paused_at', 'text', (c) => c.notNull())
    .addColumn('resumed_by', 'text')
    .addColumn('resumed_at', 'text')
    .execute();

  await db.schema.alterTable('content_items').addColumn('rejected_by', 'text').execute();
  await db.schema.alterTable('content_items').addColumn('rejected_at', 'text').execute();
  await db.schema.alterTable('content_items').addColumn('rejection_reason', 'text').execute();
}
