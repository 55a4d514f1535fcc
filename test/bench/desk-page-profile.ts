/**
 * One desk page requested many times in this process (Fastify's inject: no sockets), to split its CPU cost with a
 * profile whose stacks are whole: `node --cpu-prof` over the bench's HTTP server sees a request's steps as separate
 * asynchronous pieces. Uses a SQLite file seeded by `KEEP_DB=1 npx tsx test/bench/desk-queries.ts --only sqlite`.
 *   DESK_WRITE=1 …   another connection writes before each request: every request reads afresh (a kept read's miss)
 *   DESK_DB=/tmp/…/loa.db DESK_DIST=1 npx tsx --cpu-prof --cpu-prof-dir=/tmp/p test/bench/desk-page-profile.ts /desk/lich [n]
 */
import { sql } from 'kysely';

import { connect } from '../../src/store/connection';
import { testConfig } from '../support/services';

// The compiled build (`npm run build`) when DESK_DIST is set: its profile names lines and functions as written.
const root = process.env.DESK_DIST ? '../../dist/src' : '../../src';
const { composeProcess } = require(`${root}/compose`) as typeof import('../../src/compose');
const { buildServer } = require(`${root}/http/server`) as typeof import('../../src/http/server');
const { createUser } = require(`${root}/store/users`) as typeof import('../../src/store/users');

async function main() {
  const [path = '/desk/lich', count = '200', role = 'officer'] = process.argv.slice(2);
  const config = testConfig(process.env.DESK_DB!);
  const parts = await composeProcess(config);
  const app = await buildServer(parts.db, config, { adapters: parts.adapters, queues: parts.queues });
  const home = (await parts.db.kysely.selectFrom('units').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
  const name = `Hồ sơ ${process.pid}`;
  const password = 'mật-khẩu-đủ-dài-1';
  await createUser(
    parts.db.kysely,
    { name, unitId: role === 'admin' ? null : home, role: role as 'officer', password },
    'bench',
  );
  const signIn = await app.inject({
    method: 'POST',
    url: '/desk/dang-nhap',
    payload: new URLSearchParams({ name, password, tiep: '/desk/lich' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
  const get = () => app.inject({ method: 'GET', url: path, headers: { cookie, 'accept-encoding': 'br, gzip' } });
  for (let i = 0; i < 20; i++) await get();
  const started = process.cpuUsage();
  const wall = performance.now();
  let status = 0;
  // DESK_WRITE=1: a write before each request (another connection's, as a worker's), so every request reads afresh.
  const writer = process.env.DESK_WRITE ? connect(process.env.DESK_DB!) : undefined;
  const touch = async () => {
    // A real change (a write of the same value changes nothing, and SQLite then commits nothing).
    if (writer)
      await writer.kysely
        .updateTable('publications')
        .set({ updated_at: new Date().toISOString() })
        .where('id', '=', sql<string>`(SELECT min(id) FROM publications)`)
        .execute();
  };
  for (let i = 0; i < Number(count); i++) {
    await touch();
    status = (await get()).statusCode;
  }
  const used = process.cpuUsage(started);
  console.log(
    `${path}: ${status}, ${((used.user + used.system) / 1000 / Number(count)).toFixed(2)} ms CPU a request, ` +
      `${((performance.now() - wall) / Number(count)).toFixed(2)} ms wall`,
  );
  await app.close();
  await parts.close();
}

void main().then(() => process.exit(0));
