import type { FastifyBaseLogger, FastifyRequest } from 'fastify';

import type { Actor } from '../../domain/access';
import { scheduleDue } from '../../queue/scheduler';
import type { HttpDeps } from '../deps';

/** The API's routes take everything the server was given. */
export type ApiDeps = HttpDeps;

/** The auth hook has already answered 401 for anonymous requests to these routes. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new Error('route reached without an actor');
  return req.actor;
}

/**
 * Gives new or re-queued publications their queue timers now. When Redis is down the database still holds them
 * and every worker's scheduler picks them up, so this never fails the request; a failure is noted in the request's log.
 */
export async function pushToQueue(deps: ApiDeps, log: FastifyBaseLogger): Promise<void> {
  await scheduleDue(deps.db.kysely, deps.queues).catch((error: Error) =>
    log.warn({ err: error }, 'chưa đưa được bài vào hàng đợi; tiến trình đăng bài sẽ đưa khi Redis chạy lại'),
  );
}
