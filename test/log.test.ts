import { Writable } from 'node:stream';

import { connectionStateLog, createLogger } from '../src/log';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger('test', { destination }) };
}

test('log lines are JSON with the time in Vietnam time and secrets masked', async () => {
  const { lines, logger } = capture();
  logger.info({ channel: { id: 'rss', token: 'topsecret' } }, 'đã đăng');
  await new Promise((r) => setImmediate(r));
  expect(lines).toHaveLength(1);
  expect(lines[0]!.msg).toBe('đã đăng');
  expect(lines[0]!.level).toBe('info');
  expect(String(lines[0]!.time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+07:00$/);
  expect(JSON.stringify(lines[0])).not.toContain('topsecret');
});

test('a lost connection is one line per change of state, not one per failed retry', async () => {
  const { lines, logger } = capture();
  const redis = connectionStateLog(logger, 'Redis');
  redis.up();
  for (let i = 0; i < 50; i++) redis.down(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
  for (let i = 0; i < 5; i++) redis.up();
  redis.down(new Error('x'));
  await new Promise((r) => setImmediate(r));
  expect(lines.map((l) => [l.state, l.msg])).toEqual([
    ['down', 'Redis: mất kết nối, đang thử lại'],
    ['up', 'Redis: đã kết nối lại'],
    ['down', 'Redis: mất kết nối, đang thử lại'],
  ]);
});

test("the worker's Redis state: many clients' retries against a closed port are one line; back is one line; other errors are logged as they are", async () => {
  const { default: IORedis } = await import('ioredis');
  const { redisStateLog } = await import('../worker/log');
  const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
  const state = redisStateLog((level, message, fields) => lines.push([level, message, fields]));
  let errors = 0;
  // Two real clients on a port nothing listens on, retrying fast: each retry is an 'error' event.
  const clients = [1, 2].map(
    () =>
      new IORedis('redis://127.0.0.1:1', { maxRetriesPerRequest: null, retryStrategy: () => 10, lazyConnect: false }),
  );
  await new Promise<void>((resolve) => {
    for (const client of clients) {
      client.on('error', (error) => {
        state.error('hàng đợi rss', error);
        if (++errors >= 20) resolve();
      });
    }
  });
  for (const client of clients) client.disconnect();
  state.up();
  state.up();
  state.error('lịch đăng', new Error('cột không tồn tại'));
  expect(lines.map(([level, message, fields]) => [level, message, fields?.state])).toEqual([
    ['warn', 'Redis: mất kết nối, đang thử lại', 'down'],
    ['info', 'Redis: đã kết nối lại', 'up'],
    ['error', 'lịch đăng: cột không tồn tại', undefined],
  ]);
});

test("the worker's default log is pino JSON in Vietnam time", () => {
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const script =
    "require('tsx/cjs'); require('./worker/log.ts').consoleLog('warn', 'thất bại', { bai: 'i1-rss-20261123T010000Z', token: undefined });";
  const out = spawnSync(process.execPath, ['-e', script], {
    cwd: require('node:path').resolve(__dirname, '..'),
    encoding: 'utf8',
  });
  const line = JSON.parse(out.stdout.trim()) as Record<string, unknown>;
  expect(line).toMatchObject({ level: 'warn', msg: 'thất bại', bai: 'i1-rss-20261123T010000Z', name: 'loa-worker' });
  expect(String(line.time)).toMatch(/\+07:00$/);
});
