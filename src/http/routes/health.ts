import type { FastifyInstance } from 'fastify';

import { queueSettings } from '../../queue/settings';
import { countStuck } from '../../store/publications';
import type { HttpDeps } from '../deps';

/**
 * Redis is asked on a connection of its own that fails fast (a refused connection answers at once, so a monitor gets
 * its 503 within a second when Redis is down). A service that answers but is slow (a loaded machine) gets this long.
 */
const ANSWER_MS = 3_000;

function within<T>(work: Promise<T>, fallback: T): Promise<T> {
  return Promise.race([
    work.catch(() => fallback),
    new Promise<T>((resolve) => setTimeout(resolve, ANSWER_MS, fallback).unref()),
  ]);
}

/**
 * Health that means it: the database answers, Redis answers, at least one worker is connected to the queues, and
 * no publication is stuck with a worker that stopped renewing its claim. 503 when any is false, so a monitor
 * notices that nothing will be published.
 */
export async function healthRoutes(
  app: FastifyInstance,
  { db, queues }: Pick<HttpDeps, 'db' | 'queues'>,
): Promise<void> {
  app.get('/health', async (_req, res) => {
    const stuck = await within(
      countStuck(db.kysely, queueSettings.schedulerEveryMs + queueSettings.lockDurationMs),
      -1,
    );
    const database = stuck >= 0;
    const redis = await queues.reachable(ANSWER_MS);
    const workers = redis ? await within(queues.workerCount(), -1) : -1;
    const body = { database, redis: workers >= 0, workers: Math.max(workers, 0), stuck: Math.max(stuck, 0) };
    return res.code(database && workers > 0 && stuck === 0 ? 200 : 503).send(body);
  });
}
