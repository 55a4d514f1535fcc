import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { UnrecoverableError } from 'bullmq';

import { createAdapters, TemplateError } from '../channels';
import type { Config } from '../src/config';
import type { Db } from '../src/store';
import { listAttempts } from '../src/store/attempts';
import { getPublication, schedulePublications } from '../src/store/publications';
import { publishOne } from '../worker/publish-job';
import { DATABASE_KINDS } from './support/databases';
import { saveCommunePage, seedItems } from './support/seed';
import { PROJECT } from './support/services';
import { type FreshStore, freshStore } from './support/store-fixture';

describe.each(DATABASE_KINDS)('publishing one publication on %s', (kind) => {
  let store: FreshStore;
  let db: Db;
  let config: Config;

  beforeEach(async () => {
    store = await freshStore(kind);
    ({ db, config } = store);
  });
  afterEach(() => store.dispose());

  async function scheduleOn(channelId: string): Promise<string> {
    const [itemId] = await seedItems(db.kysely, 1);
    const { created } = await schedulePublications(
      db.kysely,
      [{ itemId: itemId!, channelId, scheduledAt: new Date() }],
      'cán bộ A',
    );
    return created[0]!.id;
  }

  test('publishing an already published publication does nothing', async () => {
    const id = await scheduleOn('rss');
    const deps = { db: db.kysely, adapters: createAdapters(config), worker: 'w1', log: () => undefined };
    expect(await publishOne(deps, id, false)).toBe('published');
    expect(await publishOne(deps, id, false)).toBe('already-done');
    expect((await listAttempts(db.kysely, id)).map((a) => a.outcome)).toEqual(['published']);
  });

  test('a channel this installation cannot publish to fails at once, with a reason, not retried', async () => {
    await saveCommunePage(db.kysely);
    const id = await scheduleOn('trang-xa');
    // An installation built without the facebook adapter (every platform has one now).
    const { facebook: _installed, ...adapters } = createAdapters(config);
    const deps = { db: db.kysely, adapters, worker: 'w1', log: () => undefined };
    await expect(publishOne(deps, id, false)).rejects.toBeInstanceOf(UnrecoverableError);
    const publication = await getPublication(db.kysely, id);
    expect(publication).toMatchObject({ state: 'failed', reason: expect.stringContaining('facebook') });
    expect((await listAttempts(db.kysely, id)).map((a) => a.outcome)).toEqual(['failed']);
  });

  test('a broken template fails the publication naming the file and line, not retried', async () => {
    const templatesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-tpl-'));
    fs.copyFileSync(path.join(PROJECT, 'templates/radio.liquid'), path.join(templatesDir, 'radio.liquid'));
    fs.writeFileSync(path.join(templatesDir, 'rss.liquid'), '<p>{{ item.body }}</p>\n{{ item.noi_dung_sai }}');
    const id = await scheduleOn('rss');
    const deps = {
      db: db.kysely,
      adapters: createAdapters({ ...config, templatesDir }),
      worker: 'w1',
      log: () => undefined,
    };
    await expect(publishOne(deps, id, false)).rejects.toBeInstanceOf(UnrecoverableError);
    const publication = await getPublication(db.kysely, id);
    expect(publication.state).toBe('failed');
    expect(publication.reason).toMatch(/rss\.liquid, dòng 2: biến không có: item\.noi_dung_sai/);
  });

  test('a template that ran out of time on a busy worker is tried again later, and fails only on the last try (found by npm run chaos)', async () => {
    const id = await scheduleOn('rss');
    const adapters = createAdapters(config);
    const late = new TemplateError('templates/rss.liquid', 6, 'mẫu chạy quá 2 giây; kiểm tra các vòng lặp', true);
    adapters.rss = Object.assign(Object.create(adapters.rss!), { render: async () => Promise.reject(late) });
    const deps = { db: db.kysely, adapters, worker: 'w1', log: () => undefined };
    await expect(publishOne(deps, id, false)).rejects.toBe(late);
    expect(await getPublication(db.kysely, id)).toMatchObject({ state: 'queued' });
    await expect(publishOne(deps, id, true)).rejects.toBeInstanceOf(UnrecoverableError);
    expect(await getPublication(db.kysely, id)).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('quá 2 giây'),
    });
    expect((await listAttempts(db.kysely, id)).map((a) => a.outcome)).toEqual(['retry', 'failed']);
  });
});
