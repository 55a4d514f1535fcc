import { createAdapters, startingChannels } from '../../channels';
import { readConfig } from '../../src/config';
import { type Db, openStore as openBareStore, type StoreDefaults } from '../../src/store';
import { connect } from '../../src/store/connection';
import { migrateTo } from '../../src/store/migrate';

/**
 * The store as a Loa process opens it (src/compose.ts): migrated, with the default unit and the channels its
 * platforms' adapters start it with ("rss", "radio", and those the environment gives).
 */
export function openStore(url: string, defaults: StoreDefaults) {
  return openBareStore(url, {
    startingChannels: (unit) => startingChannels(createAdapters(readConfig({})), unit),
    ...defaults,
  });
}

/**
 * Upgrade tests: the database with its schema as an earlier release left it (migrated up to `migration` and no
 * further), with nothing else written; the test writes that release's rows with SQL of that schema.
 */
export async function openSchemaAt(url: string, migration: string): Promise<Db> {
  const db = connect(url);
  try {
    await migrateTo(db, migration);
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}
