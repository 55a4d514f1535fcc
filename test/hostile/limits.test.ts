/**
 * Issue 27, findings 5 and 8: a request sent a byte every few hundred milliseconds is cut off by the request timeout
 * (Node answers 408 and closes), and the draft-audio cache keeps within its size and age.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import type { Adapters } from '../../channels';
import type { Actor } from '../../src/domain/access';
import type { ChannelAccount } from '../../src/domain/channel';
import { DraftAudio } from '../../src/http/pages/draft-audio';
import { buildServer } from '../../src/http/server';
import { HOME, OTHER } from '../support/accounts';
import { freshDatabase } from '../support/databases';
import { openStore } from '../support/open-store';
import { testConfig } from '../support/services';

describe('a slow request is timed out (finding 5)', () => {
  test('a body sent a byte every 200 ms is cut off with 408 after the request timeout', async () => {
    const database = await freshDatabase('sqlite');
    const config = testConfig(database.url);
    const db = await openStore(database.url, { defaultUnit: config.defaultUnit });
    const app = await buildServer(db, config, { timeouts: { requestMs: 1000, checkEveryMs: 100 } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as net.AddressInfo;
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    // The drip may write once more after the server answered 408 and closed: the reset that follows is expected.
    socket.on('error', () => undefined);
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));
    const started = Date.now();
    socket.write(
      'POST /api/session HTTP/1.1\r\nHost: loa\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
    );
    const drip = setInterval(() => socket.writable && socket.write(' '), 200);
    // Without a request timeout the connection stays open as long as bytes keep coming: 8 s is the test's own bound.
    const ended = await Promise.race([closed, new Promise<null>((resolve) => setTimeout(() => resolve(null), 8000))]);
    clearInterval(drip);
    socket.destroy();
    await app.close();
    await db.close();
    await database.drop();
    expect(ended).not.toBeNull();
    expect(ended! - started).toBeLessThan(4000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});

describe('the draft-audio cache is bounded (finding 8)', () => {
  const KB = 1000;
  const channel = (unitId: string): ChannelAccount => ({
    id: `radio-${unitId}`,
    unitId,
    platform: 'radio',
    name: 'Đài',
    settings: {},
  });
  const officer = (unitId: string): Actor => ({ name: 'Cán bộ', role: 'officer', unitId, source: 'browser' });
  /** A station whose reading of a text is a file of that text's length in KB (a real WAV grows with the text too). */
  const adapters = {
    radio: {
      reading: (text: string) => ({
        key: text,
        write: async (file: string) => {
          fs.writeFileSync(file, Buffer.alloc(Number(text) * KB));
          return true;
        },
      }),
    },
  } as unknown as Adapters;

  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-nghe-thu-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const cached = () => fs.readdirSync(dir).filter((f) => f.endsWith('.wav'));
  const bytes = () => cached().reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0);
  const hear = async (audio: DraftAudio, text: string) => {
    const offered = audio.offer(text, channel(HOME));
    return audio.file(offered.url!.split('/').pop()!, officer(HOME));
  };

  test('over the size limit the least recently made go first; the one just made stays', async () => {
    const audio = new DraftAudio(dir, adapters, { maxBytes: 10 * KB });
    const made: string[] = [];
    for (const [i, text] of ['4', '3', '2'].entries()) {
      made.push((await hear(audio, text))!);
      const at = new Date(Date.now() - (10 - i) * 60_000); // made a minute apart, "4" first
      fs.utimesSync(made[i]!, at, at);
    }
    expect(bytes()).toBe(9 * KB);
    const newest = await hear(audio, '5');
    expect(fs.existsSync(newest!)).toBe(true);
    expect(bytes()).toBe(10 * KB); // 14 KB made: "4", the oldest, went
    expect(fs.existsSync(made[0]!)).toBe(false);
    expect(cached()).toHaveLength(3);
    // A single reading over the limit is still given to the request that asked for it, alone.
    const huge = await hear(audio, '12');
    expect(huge).not.toBeNull();
    expect(cached()).toEqual([path.basename(huge!)]);
  });

  test('readings older than the age limit are deleted when the next is made', async () => {
    let now = Date.now();
    const audio = new DraftAudio(dir, adapters, { maxAgeMs: 3600_000, now: () => now });
    const old = await hear(audio, '1');
    const past = new Date(now - 2 * 3600_000);
    fs.utimesSync(old!, past, past);
    now += 1000;
    await hear(audio, '2');
    expect(fs.existsSync(old!)).toBe(false);
    expect(cached()).toHaveLength(1);
  });

  test("another unit's officer is not given the file; an admin is", async () => {
    const audio = new DraftAudio(dir, adapters);
    const offered = audio.offer('1', channel(HOME));
    const name = offered.url!.split('/').pop()!;
    expect(await audio.file(name, officer(OTHER))).toBeNull();
    expect(await audio.file(name, { name: 'Quản trị', role: 'admin', unitId: null, source: 'browser' })).not.toBeNull();
    expect(await audio.file(name, officer(OTHER))).toBeNull();
  });
});
