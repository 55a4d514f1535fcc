import { PLATFORM_LABELS } from '../domain/channel';
import { CONTENT_AREAS } from '../domain/plan';
import { slugify } from '../domain/text';
import { saveChannel } from './channels';
import { connect, type Db } from './connection';
import { channelsFromEnv } from './env-channels';
import { migrate, migrateTo } from './migrate';
import { ensureUnit } from './units';

export interface StoreDefaults {
  /** The unit of a one-unit set-up (LOA_UNIT): it gets an rss channel "rss" and a radio station "radio". */
  defaultUnit: string;
  /** PostgreSQL pool size (a worker sizes it from its concurrency). */
  poolSize?: number;
  /** Upgrade tests only: the schema as an earlier release left it, migrated up to this migration and no further. */
  schemaUpTo?: Parameters<typeof migrateTo>[1];
}

/** Keeps the fixed content-area taxonomy in the database, so items can reference it. */
async function seedContentAreas(db: Db): Promise<void> {
  for (const [key, name] of Object.entries(CONTENT_AREAS)) {
    await db.kysely
      .insertInto('content_areas')
      .values({ key, name })
      .onConflict((oc) => oc.column('key').doUpdateSet({ name }))
      .execute();
  }
}

async function ensureDefaultChannels(db: Db, defaults: StoreDefaults): Promise<void> {
  const unit = await ensureUnit(db.kysely, defaults.defaultUnit, 'loa', slugify(defaults.defaultUnit));
  const existing = await db.kysely.selectFrom('channels').select('id').where('id', 'in', ['rss', 'radio']).execute();
  const have = new Set(existing.map((c) => c.id));
  if (!have.has('rss'))
    await saveChannel(
      db.kysely,
      { id: 'rss', unitId: unit.id, platform: 'rss', name: `${PLATFORM_LABELS.rss} ${unit.name}`, settings: {} },
      'loa',
    );
  if (!have.has('radio'))
    await saveChannel(
      db.kysely,
      { id: 'radio', unitId: unit.id, platform: 'radio', name: `Đài truyền thanh ${unit.name}`, settings: {} },
      'loa',
    );
  for (const channel of channelsFromEnv(process.env, unit)) {
    const known = await db.kysely.selectFrom('channels').select('id').where('id', '=', channel.id).executeTakeFirst();
    if (!known) await saveChannel(db.kysely, channel, 'loa');
  }
}

/** Opens the database, brings its schema up to date and makes sure the defaults exist. */
export async function openStore(url: string, defaults: StoreDefaults): Promise<Db> {
  const db = connect(url, { poolSize: defaults.poolSize });
  try {
    if (defaults.schemaUpTo) await migrateTo(db, defaults.schemaUpTo);
    else await migrate(db);
    await seedContentAreas(db);
    await ensureDefaultChannels(db, defaults);
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}

export type { Db } from './connection';
