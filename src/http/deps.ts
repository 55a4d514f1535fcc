import type { Adapters } from '../../channels';
import type { Config } from '../config';
import type { PublishQueues } from '../queue/queues';
import type { Db } from '../store';

/**
 * What the composition root (src/compose.ts) hands the HTTP server, one set per process: every route plugin takes
 * the part of it that it uses as its options.
 */
export interface HttpDeps {
  db: Db;
  config: Config;
  queues: PublishQueues;
  adapters: Adapters;
}
