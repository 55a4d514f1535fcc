import fs from 'node:fs';
import path from 'node:path';

import type { Db } from '../src/store';
import { listPlans } from '../src/store/plans';
import { seedAccounts } from './support/accounts';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { serveForTest } from './support/server';
import { PROJECT, testConfig } from './support/services';

const PLAN = fs.readFileSync(path.join(PROJECT, 'test/fixtures/plans/ninh-thuan-2023-ubnd-911.txt'));

describe.each(DATABASE_KINDS)('POST /api/plans on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;
  let server: Awaited<ReturnType<typeof serveForTest>>;
  let base: string;
  const post = (body: Buffer, headers: Record<string, string>) =>
    fetch(`${base}/api/plans`, {
      method: 'POST',
      body: new Uint8Array(body),
      headers: { 'content-type': 'application/octet-stream', ...headers },
    });
  let as: Record<string, string>;

  beforeAll(async () => {
    database = await freshDatabase(kind);
    const config = testConfig(database.url);
    db = await openStore(database.url, { defaultUnit: config.defaultUnit });
    server = await serveForTest(db, database, config);
    base = server.base;
    const { token } = await seedAccounts(db.kysely);
    as = { authorization: `Bearer ${token.officer}`, 'x-loa-filename': 'ke-hoach-911.txt' };
  });
  afterAll(() => server.close());

  test('imports a plan file like loa import, and the same file again is not duplicated', async () => {
    const created = await post(PLAN, as);
    expect(created.status).toBe(201);
    const body = (await created.json()) as {
      id: number;
      outcome: string;
      plan: { identity: { code: { text: string } } };
    };
    expect(body).toMatchObject({ outcome: 'created', plan: { identity: { code: { text: '911/KH-UBND' } } } });
    const again = await post(PLAN, as);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: body.id, outcome: 'unchanged' });
    expect(await listPlans(db.kysely)).toHaveLength(1);
    // Recorded as the token's owner, whatever header a caller adds.
    expect((await listPlans(db.kysely))[0]!.importedBy).toBe('Cán bộ An');
  });

  test('bad input gets a Vietnamese reason naming what is wrong, and stores nothing', async () => {
    const empty = await post(Buffer.alloc(0), as);
    expect(empty.status).toBe(422);
    expect(((await empty.json()) as { error: { message: string } }).error.message).toMatch(/rỗng/);
    const anonymous = await post(PLAN, { 'x-loa-filename': 'a.txt', 'x-loa-user': encodeURIComponent('Ai cũng được') });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { field: 'Authorization' } });
    const binary = await post(Buffer.from([0, 1, 2, 3, 0, 255, 0, 7]), { ...as, 'x-loa-filename': 'x.bin' });
    expect(binary.status).toBe(415);
    expect(await listPlans(db.kysely)).toHaveLength(1);
  });
});
