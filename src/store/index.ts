import type { StartingChannel, Unit } from '../domain/channel';
import { CONTENT_AREAS } from '../domain/plan';
import { slugify } from '../domain/text';
import { connect, type Db } from './connection';
import { migrate, migrateTo } from './migrate';
import { ensureStartingChannels } from './starting-channels';
import { ensureUnit } from './units';

export interface StoreDefaults {
  /** The unit of a one-unit set-up (LOA_UNIT), made when missing. */
  defaultUnit: string;
  /**
   * The channels it starts with, as the platforms' adapters declare them (channels/: `startingChannels`), given by
   * the composition root; the store names no platform.
   */
  startingChannels?: (unit: Unit) => StartingChannel[];
  /** PostgreSQL pool size (a worker sizes it from its concurrency). */
  poolSize?: number;
  /** Where connection trouble is reported (default stderr; the worker's JSON log in a worker). */
  onError?: (error: Error) => void;
  /** Upgrade tests only: the schema as an earlier release left it, migrated up to this migration and no further. */
  schemaUpTo?: Parameters<typeof migrateTo>[1];
}

/** Keeps the fixed content-area taxonomy in the database, so items can reference it. */
async function seedContentAreas(db: Db): Promise<void> {
  // Read first: when the taxonomy is already there (every start but the first), nothing is written, so a command that
  // only reads (loa log, loa report) never takes SQLite's write lock and never waits behind a long write of another process.
  const stored = await db.kysely.selectFrom('content_areas').select(['key', 'name']).execute();
  const have = new Map(stored.map((row) => [row.key, row.name]));
  for (const [key, name] of Object.entries(CONTENT_AREAS)) {
    if (have.get(key) === name) continue;
    await db.kysely
      .insertInto('content_areas')
      .values({ key, name })
      .onConflict((oc) => oc.column('key').doUpdateSet({ name }))
      .execute();
  }
}

async function ensureDefaults(db: Db, defaults: StoreDefaults): Promise<void> {
  const unit = await ensureUnit(db.kysely, defaults.defaultUnit, 'loa', slugify(defaults.defaultUnit));
  await ensureStartingChannels(db.kysely, unit, defaults.startingChannels?.(unit) ?? []);
}

/** Opens the database, brings its schema up to date and makes sure the defaults exist. */
export async function openStore(url: string, defaults: StoreDefaults): Promise<Db> {
  const db = connect(url, { poolSize: defaults.poolSize, onError: defaults.onError });
  try {
    if (defaults.schemaUpTo) await migrateTo(db, defaults.schemaUpTo);
    else await migrate(db);
    await seedContentAreas(db);
    await ensureDefaults(db, defaults);
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}

export type { Db } from './connection';
export { ensureStartingChannels } from './starting-channels';
