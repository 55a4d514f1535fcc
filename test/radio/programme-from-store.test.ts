import fs from 'node:fs';
import path from 'node:path';

import { schedulePublications } from '../../src/store/publications';
import { publishOne } from '../../worker/publish-job';
import { DATABASE_KINDS } from '../support/databases';
import { seedItems } from '../support/seed';
import { type FreshStore, freshStore, publishDeps } from '../support/store-fixture';

describe.each(DATABASE_KINDS)('the day programme is rebuilt from the database on %s', (kind) => {
  let store: FreshStore;
  afterAll(() => store.dispose());

  test('after the export folder is deleted, the next publication of the day rebuilds a programme with the earlier scripts', async () => {
    store = await freshStore(kind);
    const { db, config } = store;
    await db.kysely
      .updateTable('channels')
      .set({ settings: JSON.stringify({ preview: false }) })
      .where('id', '=', 'radio')
      .execute();
    const [first, second, third] = await seedItems(db.kysely, 3);
    // 05:30, 05:45 and 16:00 Vietnam time on 23/11/2026: two for the morning broadcast, one for the afternoon.
    const at = (h: number, m: number) => new Date(Date.UTC(2026, 10, 22, h + 24 - 7, m));
    const { created } = await schedulePublications(
      db.kysely,
      [
        { itemId: first!, channelId: 'radio', scheduledAt: at(5, 30) },
        { itemId: second!, channelId: 'radio', scheduledAt: at(5, 45) },
        { itemId: third!, channelId: 'radio', scheduledAt: at(16, 0) },
      ],
      'cán bộ A',
    );
    const deps = publishDeps(db, config);
    await publishOne(deps, created[0]!.id, false);
    await publishOne(deps, created[1]!.id, false);
    await deps.adapters.radio!.flush!(); // the day's programme is rebuilt once the burst is over
    const programmeFile = path.join(config.exportDir, 'radio', 'radio', '2026-11-23.txt');
    const before = fs.readFileSync(programmeFile, 'utf8');
    expect(before).toContain('Bài 1.');
    expect(before).toContain('Bài 2.');

    fs.rmSync(config.exportDir, { recursive: true, force: true });
    await publishOne(deps, created[2]!.id, false);
    await deps.adapters.radio!.flush!();
    const after = fs.readFileSync(programmeFile, 'utf8');
    for (const title of ['Bài 1.', 'Bài 2.', 'Bài 3.']) expect(after).toContain(title);
    expect(after.indexOf('Bài 2.')).toBeLessThan(after.indexOf('BUỔI CHIỀU'));
    expect(after.indexOf('Bài 3.')).toBeGreaterThan(after.indexOf('BUỔI CHIỀU'));
    expect(
      fs.readdirSync(path.join(config.exportDir, 'radio', 'radio', '2026-11-23')).filter((f) => f.endsWith('.txt')),
    ).toHaveLength(3);
  });
});
