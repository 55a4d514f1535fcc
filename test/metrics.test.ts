import fs from 'node:fs';
import path from 'node:path';

import { schedulePublications } from '../src/store/publications';
import { publishOne } from '../worker/publish-job';
import { call, seedAccounts } from './support/accounts';
import { DATABASE_KINDS } from './support/databases';
import { seedItems } from './support/seed';
import { serveForTest } from './support/server';
import { freshStore, publishDeps } from './support/store-fixture';

describe.each(DATABASE_KINDS)('/metrics on %s', (kind) => {
  test('Prometheus text for the machine itself and admins: publications, lateness, channels, backups, queues', async () => {
    const store = await freshStore(kind);
    const backupDir = fs.mkdtempSync(path.join(store.config.exportDir, '..', 'loa-backups-'));
    const config = { ...store.config, backupDir };
    const server = await serveForTest(store.db, store.database, config);
    try {
      const { token } = await seedAccounts(store.db.kysely);
      const [itemId] = await seedItems(store.db.kysely, 1);
      const at = new Date(Date.UTC(2026, 10, 20, 1, 0));
      const { created } = await schedulePublications(
        store.db.kysely,
        [{ itemId: itemId!, channelId: 'rss', scheduledAt: at }],
        'kiểm thử',
      );
      await publishOne(publishDeps(store.db, config), created[0]!.id, true);
      // A fixed lateness (90 s), whatever the clock said when it was published.
      await store.db.kysely
        .updateTable('publications')
        .set({ published_at: new Date(at.getTime() + 90_000).toISOString() })
        .execute();

      const none = await call(server.base, 'GET', '/metrics', null);
      expect(none.status).toBe(200);
      expect(none.headers.get('content-type')).toContain('text/plain; version=0.0.4');
      const text = none.body as string;
      expect(text).toContain('# TYPE loa_publications gauge');
      expect(text).toContain('loa_publications{state="published",channel="rss",unit="ubnd-xa-tan-lap"} 1');
      expect(text).toContain('loa_publication_lateness_seconds_bucket{le="60"} 0');
      expect(text).toContain('loa_publication_lateness_seconds_bucket{le="120"} 1');
      expect(text).toContain('loa_publication_lateness_seconds_bucket{le="+Inf"} 1');
      expect(text).toMatch(/^loa_publication_lateness_seconds_sum 90(\.0+\d*)?$/m);
      expect(text).toContain(
        `loa_channel_last_success_timestamp_seconds{channel="rss"} ${Math.floor(at.getTime() / 1000) + 90}`,
      );
      expect(text).toContain('loa_channel_last_success_timestamp_seconds{channel="radio"} 0');
      expect(text).toContain('loa_backup_age_seconds +Inf');
      expect(text).toContain('loa_redis_up 1');
      expect(text).toMatch(/^loa_workers \d+$/m);
      expect(text).toContain('loa_queue_jobs{queue="publish-rss",state="waiting"}');

      // A token's expiry, as the channels' connection work stores it: its days left (none for channels without one).
      expect(text).not.toContain('loa_channel_token_days_left{');
      await store.db.kysely
        .updateTable('channels')
        .set({ token_expires_at: new Date(Date.now() + 10.5 * 86_400_000).toISOString() })
        .where('id', '=', 'rss')
        .execute();
      const tokens = (await call(server.base, 'GET', '/metrics', null)).body as string;
      expect(tokens).toContain('loa_channel_token_days_left{channel="rss"} 10');
      expect(tokens).not.toContain('loa_channel_token_days_left{channel="radio"}');
      // A pair renewed by itself (an access token of a day, a refresh token of months): the connection's end counts.
      await store.db.kysely
        .updateTable('channels')
        .set({
          token_expires_at: new Date(Date.now() + 0.5 * 86_400_000).toISOString(),
          refresh_expires_at: new Date(Date.now() + 80.5 * 86_400_000).toISOString(),
        })
        .where('id', '=', 'radio')
        .execute();
      const pair = (await call(server.base, 'GET', '/metrics', null)).body as string;
      expect(pair).toContain('loa_channel_token_days_left{channel="radio"} 80');

      const written = new Date(Date.UTC(2026, 10, 19, 17, 0));
      fs.writeFileSync(path.join(backupDir, 'loa-20261120-000000.tar.gz'), 'x');
      fs.utimesSync(path.join(backupDir, 'loa-20261120-000000.tar.gz'), written, written);
      const withBackup = (await call(server.base, 'GET', '/metrics', null)).body as string;
      expect(withBackup).toContain(`loa_backup_last_timestamp_seconds ${written.getTime() / 1000}`);

      // Through a reverse proxy on this machine the world arrives from 127.0.0.1: it is refused without an admin's token.
      const proxied = await fetch(`${server.base}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
      expect(proxied.status).toBe(403);
      const officer = await fetch(`${server.base}/metrics`, { headers: { authorization: `Bearer ${token.officer}` } });
      expect(officer.status).toBe(403);
      const admin = await fetch(`${server.base}/metrics`, {
        headers: { authorization: `Bearer ${token.admin}`, 'x-forwarded-for': '203.0.113.7' },
      });
      expect(admin.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
