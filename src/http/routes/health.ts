import type { FastifyInstance } from 'fastify';
import type { PublishQueues } from '../../queue/queues';
import type { Db } from '../../store';

/**
 * Health that means it: the database answers, Redis answers, and at least one worker is connected to the
 * queues. 503 when any is false, so a monitor notices that nothing will be published.
 */
export function healthRoutes(app: FastifyInstance, db: Db, queues: PublishQueues): void {
  app.get('/health', async (_req, res) => {
    const database = await db.kysely
      .selectFrom('content_areas')
      .select('key')
      .limit(1)
      .execute()
      .then(() => true, () => false);
    const workers = await queues.workerCount().catch(() => -1);
    const body = { database, redis: workers >= 0, workers: Math.max(workers, 0) };
    return res.code(database && workers > 0 ? 200 : 503).send(body);
  });
}
