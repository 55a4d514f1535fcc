import type { Kysely } from 'kysely';

import type { ChannelAccount, Platform } from '../domain/channel';
import { NotFoundError } from '../domain/errors';
import type { Database, Row } from './schema';

function toChannel(row: Row<'channels'>): ChannelAccount {
  return {
    id: row.id,
    unitId: row.unit_id,
    platform: row.platform as Platform,
    name: row.name,
    settings: JSON.parse(row.settings) as Record<string, unknown>,
  };
}

/** Creates or updates a channel account (unit, platform, settings). Secrets stay in the environment, not here. */
export async function saveChannel(db: Kysely<Database>, channel: ChannelAccount, savedBy: string): Promise<void> {
  const row = {
    id: channel.id,
    unit_id: channel.unitId,
    platform: channel.platform,
    name: channel.name,
    settings: JSON.stringify(channel.settings),
  };
  await db
    .insertInto('channels')
    .values({ ...row, created_by: savedBy, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute();
}

export async function listChannels(db: Kysely<Database>): Promise<ChannelAccount[]> {
  const rows = await db.selectFrom('channels').selectAll().orderBy('id').execute();
  return rows.map(toChannel);
}

export async function getChannel(db: Kysely<Database>, id: string): Promise<ChannelAccount> {
  const row = await db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('kênh', id);
  return toChannel(row);
}

/** The channel with this id, or null. */
export async function findChannel(db: Kysely<Database>, id: string): Promise<ChannelAccount | null> {
  const row = await db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toChannel(row) : null;
}
