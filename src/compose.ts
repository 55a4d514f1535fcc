import { type Adapters, type ChannelServices, createAdapters } from '../channels';
import type { Config } from './config';
import { PublishQueues } from './queue/queues';
import { type Db, openStore } from './store';

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
}

/** The composition root: opens the store (migrated, defaults made), then builds the adapters and the queues on it. */
export async function composeProcess(config: Config, options: ComposeOptions = {}): Promise<ProcessParts> {
  const db = await openStore(config.databaseUrl, { defaultUnit: config.defaultUnit, poolSize: options.poolSize });
  const adapters = options.adapters ?? createAdapters(config, options.services?.(db));
  const queues = new PublishQueues(config.redisUrl, config.queuePrefix);
  return {
    db,
    adapters,
    queues,
    close: async () => {
      await queues.close();
      await db.close();
    },
  };
}
