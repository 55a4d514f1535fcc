import { spawn } from 'node:child_process';
import path from 'node:path';

import { listPublications, schedulePublications } from '../src/store/publications';
import { seedItems } from './support/seed';
import { envFor, PROJECT, stopChild, waitFor } from './support/services';
import { freshStore } from './support/store-fixture';

/**
 * The worker's log is JSON lines only: a log collector parses every line, so a plain-text line in
 * between (feed polling's errors, a lost database connection, a failed .docx rebuild) was lost or broke the parse.
 */
test('every line a worker writes while it publishes and stops is a JSON object', async () => {
  const store = await freshStore('sqlite');
  const items = await seedItems(store.db.kysely, 3);
  await schedulePublications(
    store.db.kysely,
    items.flatMap((itemId, i) =>
      ['rss', 'radio'].map((channelId) => ({ itemId, channelId, scheduledAt: new Date(Date.now() + 2_000 + i * 300) })),
    ),
    'kiểm thử',
  );
  const worker = spawn(process.execPath, [path.join(PROJECT, 'bin/loa.js'), 'worker'], {
    env: envFor(store.config, { LOA_HEARTBEAT_MS: '500', LOA_RADIO_DOCX_DELAY_MS: '100' }),
    cwd: PROJECT,
  });
  let stdout = '';
  let stderr = '';
  worker.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  worker.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    await waitFor(
      async () => (await listPublications(store.db.kysely, { states: ['published'] })).length === 6,
      60_000,
      `not published: ${stdout}${stderr}`,
    );
  } finally {
    await stopChild(worker);
    await store.dispose();
  }
  const lines = stdout.split('\n').filter((line) => line !== '');
  expect(lines.length).toBeGreaterThan(6);
  for (const line of lines) {
    const parsed = (() => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return line;
      }
    })();
    expect(parsed).toMatchObject({ level: expect.any(String), msg: expect.any(String), name: 'loa-worker' });
  }
  expect(lines.some((line) => line.includes('Đã dừng'))).toBe(true);
  expect(stderr).toBe('');
});
