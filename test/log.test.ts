import { Writable } from 'node:stream';
import { connectionStateLog, createLogger } from '../src/log';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
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
