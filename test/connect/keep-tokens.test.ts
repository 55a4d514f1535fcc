import { randomBytes } from 'node:crypto';
import path from 'node:path';

import IORedis from 'ioredis';

import { Templates } from '../../channels/template';
import { createZaloAdapter } from '../../channels/zalo';
import { FakeZalo } from '../../src/demo/fake-zalo-oa';
import { RedisExclusiveLock } from '../../src/queue/exclusive-lock';
import type { Db } from '../../src/store';
import { channelPause } from '../../src/store/channel-pause';
import { readChannelSecret, setChannelSecret } from '../../src/store/channel-secrets';
import { saveChannel } from '../../src/store/channels';
import { listTokenStates } from '../../src/store/token-state';
import { channelServices } from '../../worker/channel-services';
import { keepTokensOnce } from '../../worker/keep-tokens';
import type { LogLevel } from '../../worker/log';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases';
import { openStore } from '../support/open-store';
import { envFor, PROJECT, runLoa, SHARED_REDIS_URL, testConfig } from '../support/services';

const DAY = 86_400_000;
jest.setTimeout(180_000);

describe.each(DATABASE_KINDS)('the scheduled token refresh and expiry warnings on %s', (kind) => {
  let zalo: FakeZalo;
  let database: TestDatabase;
  let dbs: [Db, Db];
  let redis: IORedis;
  let config: ReturnType<typeof testConfig>;
  /** The workers' clock: the test moves it forward. */
  let clock = new Date();
  const now = () => clock;
  const keyText = randomBytes(32).toString('base64');
  const keyBefore = process.env.LOA_SECRET_KEY;
  const lines: Array<{ level: LogLevel; message: string }> = [];
  const log = (level: LogLevel, message: string) => void lines.push({ level, message });

  /** One worker process's Zalo adapter: its own store handle and its own Redis lock, as `loa worker` builds them. */
  const worker = (db: Db, name: string) =>
    createZaloAdapter(
      new Templates(path.join(PROJECT, 'templates')),
      channelServices(db.kysely, null, name, new RedisExclusiveLock(redis, { prefix: config.queuePrefix })),
      { apiUrl: zalo.url, oauthUrl: zalo.url, appId: zalo.appId, secretKey: zalo.secretKey },
      now,
    );
  const stateOf = async (id: string) => (await listTokenStates(dbs[0].kysely)).find((s) => s.channelId === id)!;

  beforeAll(async () => {
    process.env.LOA_SECRET_KEY = keyText;
    zalo = new FakeZalo();
    await zalo.start();
    database = await freshDatabase(kind);
    config = testConfig(database.url);
    dbs = [
      await openStore(database.url, { defaultUnit: config.defaultUnit }),
      await openStore(database.url, { defaultUnit: config.defaultUnit }),
    ];
    redis = new IORedis(SHARED_REDIS_URL, { maxRetriesPerRequest: null });
    await saveChannel(
      dbs[0].kysely,
      { id: 'zalo-xa', unitId: 'ubnd-xa-tan-lap', platform: 'zalo', name: 'Zalo OA xã', settings: {} },
      'kiểm thử',
    );
    // A pair connected ten days ago: its refresh token has 80 of its 90 days left.
    const pair = zalo.issuePair();
    await setChannelSecret(
      dbs[0].kysely,
      'zalo-xa',
      JSON.stringify({ ...pair, refreshExpiresAt: new Date(clock.getTime() + 80 * DAY).toISOString() }),
      'kiểm thử',
    );
  });

  afterAll(async () => {
    redis?.disconnect();
    for (const db of dbs ?? []) await db?.close();
    await database?.drop();
    await zalo?.stop();
    if (keyBefore === undefined) delete process.env.LOA_SECRET_KEY;
    else process.env.LOA_SECRET_KEY = keyBefore;
  });

  test('two workers running the round at once refresh the pair once; the new expiries and the success are stored', async () => {
    const before = zalo.refreshes.accepted;
    const [a, b] = [worker(dbs[0], 'w1'), worker(dbs[1], 'w2')];
    await Promise.all([keepTokensOnce(dbs[0], { zalo: a }, log, now), keepTokensOnce(dbs[1], { zalo: b }, log, now)]);
    expect(zalo.refreshes.accepted - before).toBe(1);
    expect(zalo.refreshes.refused).toBe(0);
    const pair = JSON.parse((await readChannelSecret(dbs[0].kysely, 'zalo-xa'))!) as Record<string, string>;
    expect(zalo.isValidRefresh(pair.refreshToken!)).toBe(true);
    const state = await stateOf('zalo-xa');
    expect(Math.round((state.refreshExpiresAt!.getTime() - clock.getTime()) / DAY)).toBe(90);
    expect(state.lastSuccessAt?.getTime()).toBe(clock.getTime());
    // Nothing is due the next hour: no refresh.
    await keepTokensOnce(dbs[1], { zalo: b }, log, now);
    expect(zalo.refreshes.accepted - before).toBe(1);
  });

  test('a refresh whose answer is lost, then refused, leaves the channel in a clear "kết nối lại" state, paused, and loa doctor says so', async () => {
    const a = worker(dbs[0], 'w1');
    clock = new Date(clock.getTime() + 8 * DAY);
    zalo.dropAfterNext('/v4/oa/access_token');
    await keepTokensOnce(dbs[0], { zalo: a }, log, now);
    expect(lines.at(-1)).toMatchObject({ level: 'warn', message: expect.stringMatching(/Chưa làm mới được/) });
    expect((await stateOf('zalo-xa')).problem).toBeNull();
    // Zalo rotated the pair and the answer never came: the stored refresh token is spent and is refused next time.
    await keepTokensOnce(dbs[0], { zalo: a }, log, now);
    const state = await stateOf('zalo-xa');
    expect(state.problem).toMatch(/không nhận được trả lời.*loa channels connect zalo-xa/);
    expect((await channelPause(dbs[0].kysely, 'zalo-xa'))?.reason).toMatch(/Zalo từ chối mã làm mới/);
    expect(lines.some((l) => l.level === 'error' && /Kênh zalo-xa mất kết nối/.test(l.message))).toBe(true);

    // A second OA whose connection ends in five and a half days: warned N days before, with the action.
    await saveChannel(
      dbs[0].kysely,
      { id: 'zalo-phuong', unitId: 'ubnd-xa-tan-lap', platform: 'zalo', name: 'Zalo OA phường', settings: {} },
      'kiểm thử',
    );
    const pair = zalo.issuePair();
    await setChannelSecret(dbs[0].kysely, 'zalo-phuong', JSON.stringify(pair), 'kiểm thử');
    await dbs[0].kysely
      .updateTable('channels')
      .set({ refresh_expires_at: new Date(Date.now() + 5.5 * DAY).toISOString() })
      .where('id', '=', 'zalo-phuong')
      .execute();
    const doctor = await runLoa(
      ['doctor'],
      envFor(config, {
        LOA_SECRET_KEY: keyText,
        LOA_ZALO_API_URL: zalo.url,
        LOA_ZALO_OAUTH_URL: zalo.url,
        LOA_ZALO_APP_ID: zalo.appId,
        LOA_ZALO_SECRET_KEY: zalo.secretKey,
      }),
    );
    const out = doctor.stdout + doctor.stderr;
    expect(out).toMatch(/Kết nối của kênh zalo-xa: mất kết nối;.*lần cuối nền tảng nhận \d\d\/\d\d\/\d{4}/);
    expect(out).toMatch(/Kênh zalo-xa mất kết nối: .*không nhận được trả lời/);
    expect(out).toMatch(/loa channels connect zalo-xa/);
    expect(out).toMatch(/Kết nối của kênh zalo-phuong hết hạn \d\d\/\d\d\/\d{4} \d\d:\d\d \(còn 5 ngày\)/);
    expect(out).toMatch(/loa channels connect zalo-phuong trước ngày đó/);
    expect(out).not.toContain(pair.accessToken);
  });
});
