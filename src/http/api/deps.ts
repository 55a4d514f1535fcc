import type { FastifyBaseLogger, FastifyRequest } from 'fastify';

import type { Adapters } from '../../../channels';
import type { Config } from '../../config';
import type { Actor } from '../../domain/access';
import type { Clock } from '../../domain/clock';
import type { PublishQueues } from '../../queue/queues';
import { scheduleDue } from '../../queue/scheduler';
import type { Db } from '../../store';

export interface ApiDeps {
  db: Db;
  config: Config;
  queues: PublishQueues;
  adapters: Adapters;
  /** What "now" is: the calendar proposes nothing before today on it (the composition root's, a test's). */
  clock: Clock;
  /** The server's logger (pino), for what happens beside a request's answer. */
  log: FastifyBaseLogger;
}

/** The auth hook has already answered 401 for anonymous requests to these routes. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new Error('route reached without an actor');
  return req.actor;
}

/**
 * Gives new or re-queued publications their queue timers now. When Redis is down the database still holds them
 * and every worker's scheduler picks them up, so this never fails the request.
 */
export async function pushToQueue(deps: ApiDeps): Promise<void> {
  await scheduleDue(deps.db.kysely, deps.queues).catch((error: Error) =>
    deps.log.warn({ err: error }, 'chưa đưa được bài vào hàng đợi; tiến trình đăng bài sẽ đưa khi Redis chạy lại'),
  );
}
