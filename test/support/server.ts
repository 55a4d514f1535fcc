import type { FastifyInstance } from 'fastify';

import type { Config } from '../../src/config';
import { buildServer, type ServerOptions } from '../../src/http/server';
import type { Db } from '../../src/store';
import type { TestDatabase } from './databases';

/** Loa's HTTP server on a free loopback port, over a test database; `close` also drops the database. */
export async function serveForTest(
  db: Db,
  database: TestDatabase,
  config: Config,
  options: ServerOptions = {},
): Promise<{ base: string; app: FastifyInstance; close(): Promise<void> }> {
  const app = await buildServer(db, config, options);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    base,
    app,
    close: async () => {
      await app.close();
      await db.close();
      await database.drop();
    },
  };
}
