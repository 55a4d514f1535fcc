import { createAdapters } from '../../channels';
import type { Config } from '../../src/config';
import type { Db } from '../../src/store';
import { channelServices } from '../../worker/channel-services';
import type { PublishDeps } from '../../worker/publish-job';
import { freshDatabase, type TestDatabase } from './databases';
import { openStore } from './open-store';
import { testConfig } from './services';

/** A brand-new database, a test configuration pointing at it, and the store opened (migrated, default channels made). */
export interface FreshStore {
  database: TestDatabase;
  config: Config;
  db: Db;
  /** Closes the store, then drops the database. */
  dispose(): Promise<void>;
}

/** The set-up most store tests share; `overrides` go to the configuration (its defaultUnit is the store's too). */
export async function freshStore(kind: 'sqlite' | 'postgres', overrides: Partial<Config> = {}): Promise<FreshStore> {
  const database = await freshDatabase(kind);
  const config = testConfig(database.url, overrides);
  const db = await openStore(database.url, { defaultUnit: config.defaultUnit });
  return {
    database,
    config,
    db,
    dispose: async () => {
      await db.close();
      await database.drop();
    },
  };
}

/**
 * What publishOne needs, as a worker builds it but without Redis: the adapters get the store's channel services
 * (secrets, published posts) with no shared account pace, and the worker's log lines are dropped.
 */
export function publishDeps(
  db: Db,
  config: Config,
  worker = 'test',
): PublishDeps & { log: NonNullable<PublishDeps['log']> } {
  return {
    db: db.kysely,
    adapters: createAdapters(config, channelServices(db.kysely, null, worker)),
    worker,
    log: () => undefined,
  };
}
