import type { Adapters } from '../../channels';
import type { Config } from '../config';
import type { Clock } from '../domain/clock';
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
  /** What "now" is: the calendar proposes nothing before today on it (the composition root's, a test's). */
  clock: Clock;
}
