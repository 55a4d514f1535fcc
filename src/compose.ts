import { type Adapters, type ChannelServices, createAdapters, startingChannels } from '../channels';
import type { Config } from './config';
import { type Clock, clockFromEnv } from './domain/clock';
import { slugify } from './domain/text';
import { PublishQueues } from './queue/queues';
import { type Db, ensureStartingChannels, openStore } from './store';
import { assertIntact, DatabaseDamagedError, isCorruption } from './store/integrity';
import { ensureUnit } from './store/units';

/**
 * What one Loa process works with: the store, the channels' adapters and the publish queues. Built once when the
 * process starts (`loa serve`, `loa worker`, a CLI command that needs them) and handed to the HTTP server, the worker
 * or the command; product code builds none of them anywhere else.
 */
export interface ProcessParts {
  db: Db;
  adapters: Adapters;
  /** BullMQ queues per platform; a queue connects to Redis only when first used. */
  queues: PublishQueues;
  /** What "now" is for this process (the calendar proposes nothing before today): the system's, or `LOA_TODAY`. */
  clock: Clock;
  /** Closes the queues, then the store. */
  close(): Promise<void>;
}

export interface ComposeOptions {
  /** PostgreSQL pool size (a worker sizes it from its concurrency). */
  poolSize?: number;
  /**
   * What adapters may ask of Loa (secrets, account pace, a lock across processes), made from the opened store: given
   * where Loa publishes (the worker, `loa doctor`); without it adapters still render and check settings.
   */
  services?: (db: Db) => ChannelServices;
  /** Adapters to use instead of the installation's own (tests bring a fake platform). */
  adapters?: Adapters;
  /** The platforms' settings (LOA_FACEBOOK_*, LOA_ZALO_*); default process.env (`loa demo` gives its fakes'). */
  platformEnv?: NodeJS.ProcessEnv;
  /** The clock to use instead of the system's (or `LOA_TODAY`'s). */
  clock?: Clock;
  /**
   * Check the database's pages before anything else (SQLite's quick_check): the long-running processes (`loa serve`,
   * `loa worker`) refuse to start on a damaged file instead of writing more into it.
   */
  checkIntegrity?: boolean;
  /** Where the store reports a lost connection (default stderr). */
  onDatabaseError?: (error: Error) => void;
}

async function openChecked(config: Config, options: ComposeOptions): Promise<Db> {
  let db: Db;
  try {
    db = await openStore(config.databaseUrl, {
      defaultUnit: config.defaultUnit,
      poolSize: options.poolSize,
      onError: options.onDatabaseError,
    });
  } catch (error) {
    // Damage the migrations trip over is the same damage: said as such, with the way back.
    if (options.checkIntegrity && isCorruption(error))
      throw new DatabaseDamagedError(config.databaseUrl, (error as Error).message);
    throw error;
  }
  if (options.checkIntegrity) {
    try {
      await assertIntact(db);
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  return db;
}

/**
 * The composition root: opens the store (migrated, the default unit made), builds the adapters on it and makes the
 * channels they start with, and the queues.
 */
export async function composeProcess(config: Config, options: ComposeOptions = {}): Promise<ProcessParts> {
  const db = await openChecked(config, options);
  const adapters = options.adapters ?? createAdapters(config, options.services?.(db), options.platformEnv);
  // The channels a one-unit set-up starts with, as the platforms' adapters declare them (the store names none).
  const unit = await ensureUnit(db.kysely, config.defaultUnit, 'loa', slugify(config.defaultUnit));
  await ensureStartingChannels(db.kysely, unit, startingChannels(adapters, unit, options.platformEnv));
  const queues = new PublishQueues(config.redisUrl, config.queuePrefix);
  return {
    db,
    adapters,
    queues,
    clock: options.clock ?? clockFromEnv(),
    close: async () => {
      await queues.close();
      await db.close();
    },
  };
}
