import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { saveChannel } from '../src/store/channels';
import { schedulePublications } from '../src/store/publications';
import { type Accounts, HOME, OTHER, seedAccounts } from './support/accounts';
import { testAttempt } from './support/attempt';
import { DATABASE_KINDS, freshDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { seedItems } from './support/seed';
import { serveForTest } from './support/server';
import { testConfig } from './support/services';

/**
 * The radio preview is made on request (never while publishing): GET /desk/nghe-thu/bai-dang/<publication> asks the channel
 * for it. Needs espeak-ng (scripts/setup.sh installs it); a stand-in cannot be put on the PATH from inside Jest.
 */
const HAS_ESPEAK = (() => {
  try {
    execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false; // not installed: the tests below are skipped, the radio adapter tests cover the reasons
  }
})();

(HAS_ESPEAK ? describe.each(DATABASE_KINDS) : describe.skip.each(DATABASE_KINDS))(
  'audio preview on request on %s',
  (kind) => {
    let server: Awaited<ReturnType<typeof serveForTest>>;
    let accounts: Accounts;
    let publicationId: string;
    let exportDir: string;

    beforeAll(async () => {
      const database = await freshDatabase(kind);
      const config = testConfig(database.url);
      exportDir = config.exportDir;
      const db = await openStore(config.databaseUrl, { defaultUnit: config.defaultUnit });
      accounts = await seedAccounts(db.kysely);
      await saveChannel(
        db.kysely,
        { id: 'dai-xa', unitId: HOME, platform: 'radio', name: 'Đài xã', settings: {} },
        'kiểm thử',
      );
      const [item] = await seedItems(db.kysely, 1);
      const { created } = await schedulePublications(
        db.kysely,
        [{ itemId: item!, channelId: 'dai-xa', scheduledAt: new Date('2026-12-07T01:30:00Z') }],
        'kiểm thử',
      );
      publicationId = created[0]!.id;
      server = await serveForTest(db, database, config);
      // Published as the worker does it: the script on disk, the row settled.
      const { createAdapters } = await import('../channels');
      const radio = createAdapters(config).radio!;
      const { claimAndOpenAttempt } = await import('../src/store/publish-protocol');
      const answer = await claimAndOpenAttempt(db.kysely, publicationId, 'kiểm thử', 60_000);
      if (answer.status !== 'claimed') throw new Error(answer.status);
      await radio.publish(answer.post, await radio.render(answer.post), testAttempt());
      await db.kysely
        .updateTable('publications')
        .set({ state: 'published', published_at: new Date().toISOString() })
        .where('id', '=', publicationId)
        .execute();
    });

    afterAll(async () => {
      await server?.close();
      fs.rmSync(exportDir, { recursive: true, force: true });
    });

    const get = (id: string, token?: string) =>
      fetch(`${server.base}/desk/nghe-thu/bai-dang/${id}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
        redirect: 'manual',
      });
    const wavs = () =>
      fs.readdirSync(exportDir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.wav'));

    test('publishing ran no synthesiser; the first request makes the WAV, the next ones read it', async () => {
      expect(wavs()).toEqual([]);
      const first = await get(publicationId, accounts.token.officer);
      expect([first.status, first.headers.get('content-type'), (await first.text()).slice(0, 4)]).toEqual([
        200,
        'audio/wav',
        'RIFF',
      ]);
      const [wav] = wavs();
      const made = fs.statSync(path.join(exportDir, wav!));
      const again = await get(publicationId, accounts.token.officer);
      expect(again.status).toBe(200);
      expect(fs.statSync(path.join(exportDir, wav!)).ino).toBe(made.ino); // kept, not made again (it is written by rename)
    });

    test('another unit, no sign-in or an unknown publication hear nothing', async () => {
      const other = await get(publicationId, accounts.token.otherOfficer);
      expect([other.status, await other.text()]).toEqual([404, 'không tìm thấy bài đăng này']);
      expect((await get(publicationId)).status).toBe(303);
      expect((await get('i999-dai-xa-20261207T013000Z', accounts.token.officer)).status).toBe(404);
      expect(OTHER).not.toBe(HOME);
    });
  },
);
