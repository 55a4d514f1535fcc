import * as channels from '../channels';
import { composeProcess } from '../src/compose';
import { buildServer } from '../src/http/server';
import { freshDatabase, type TestDatabase } from './support/databases';
import { testConfig } from './support/services';

/**
 * One composition root per process (src/compose.ts): the store, the adapters and the queues are built once and
 * handed to every part of the HTTP server (the API, the desk's pages, the audio previews), never rebuilt by a route.
 */
describe('one loa serve', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await freshDatabase('sqlite');
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await database.drop();
  });

  test('builds its adapters once, in the composition root, and hands them to every route', async () => {
    const built = jest.spyOn(channels, 'createAdapters');
    const config = testConfig(database.url);
    const parts = await composeProcess(config);
    const app = await buildServer(parts.db, config, { adapters: parts.adapters, queues: parts.queues });
    try {
      expect(built).toHaveBeenCalledTimes(1);
    } finally {
      await app.close();
      await parts.close();
    }
  });

  test('without parts given (tests), the server builds one set for all its routes', async () => {
    const built = jest.spyOn(channels, 'createAdapters');
    const config = testConfig(database.url);
    const parts = await composeProcess(config);
    built.mockClear();
    const app = await buildServer(parts.db, config);
    try {
      expect(built).toHaveBeenCalledTimes(1);
    } finally {
      await app.close();
      await parts.close();
    }
  });
});
