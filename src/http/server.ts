import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../config';
import { PublishQueues } from '../queue/queues';
import type { Db } from '../store';
import { feedRoutes } from './routes/feed';
import { healthRoutes } from './routes/health';
import { postRoutes } from './routes/posts';

/** The HTTP server: the portal feed and health now; the API and pages join here by resource. */
export async function buildServer(db: Db, config: Config): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  const queues = new PublishQueues(config.redisUrl, config.queuePrefix);
  app.addHook('onClose', async () => queues.close());
  feedRoutes(app, db, config);
  healthRoutes(app, db, queues);
  postRoutes(app, db);
  return app;
}
