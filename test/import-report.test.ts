import fs from 'node:fs';
import path from 'node:path';

import type { Db } from '../src/store';
import { seedAccounts } from './support/accounts';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { serveForTest } from './support/server';
import { envFor, PROJECT, runLoa, testConfig } from './support/services';

/** A town's plan pasted from its portal without its header: no code, no date, no channel Loa publishes to. */
const HEADERLESS = path.join(PROJECT, 'test/fixtures/plans/corpus/thi-tran-thach-ha-2021.txt');

describe.each(DATABASE_KINDS)('what an import could not read, on %s', (kind) => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  const loa = (...args: string[]) => runLoa(args, env);

  beforeAll(async () => {
    database = await freshDatabase(kind);
    env = envFor(testConfig(database.url), { LOA_USER: 'Cán bộ An' });
  });
  afterAll(() => database.drop());

  test('loa import lists the empty fields and the unplaced sentences; --json carries the same report', async () => {
    const imported = await loa('import', HEADERLESS);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('Văn bản được viện dẫn: 239/KH-UBND, 132/KH-UBND');
    expect(imported.stdout).toMatch(
      /Cần kiểm tra — văn bản không nêu hoặc Loa không đọc được: Số, ký hiệu; Ngày ban hành; Nội dung tuyên truyền; Hình thức, kênh/u,
    );
    const again = JSON.parse((await loa('import', '--json', HEADERLESS)).stdout) as {
      report: { emptyFields: string[] };
    };
    expect(again.report.emptyFields).toEqual([
      'code',
      'issueDate',
      'contentAreas',
      'channels',
      'activities',
      'reporting',
    ]);
  });

  test('loa calendar on a plan with nothing to publish says why and what to do, instead of proposing nothing silently', async () => {
    const plans = JSON.parse((await loa('plans', '--json')).stdout) as { id: number }[];
    const id = String(plans[0]?.id);
    const result = await loa('calendar', id, '--from', '01/06/2031', '--to', '30/06/2031');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Không đề xuất được nội dung nào');
    expect(result.stdout).toContain('không có nội dung tuyên truyền nào');
    expect(result.stdout).toContain('loa channels add');
    const json = JSON.parse(
      (await loa('calendar', id, '--from', '01/06/2031', '--to', '30/06/2031', '--json')).stdout,
    ) as { items: unknown[]; gaps: string[] };
    expect(json.items).toEqual([]);
    expect(json.gaps).toHaveLength(2);
  });

  test('POST /api/plans answers with the same report', async () => {
    const config = testConfig(database.url);
    const db: Db = await openStore(database.url, { defaultUnit: config.defaultUnit });
    const { token } = await seedAccounts(db.kysely);
    const server = await serveForTest(db, database, config);
    try {
      const response = await fetch(`${server.base}/api/plans`, {
        method: 'POST',
        body: new Uint8Array(
          fs.readFileSync(path.join(PROJECT, 'test/fixtures/plans/corpus/xa-thach-kim-chuyen-doi-so.txt')),
        ),
        headers: {
          'content-type': 'application/octet-stream',
          authorization: `Bearer ${token.officer}`,
          'x-loa-filename': 'thach-kim.txt',
        },
      });
      expect(response.status).toBe(201);
      const body = (await response.json()) as { report: { emptyFields: string[]; unplaced: string[] } };
      expect(body.report.emptyFields).toEqual(
        expect.arrayContaining(['code', 'issuer', 'issueDate', 'yearOrPeriod', 'title']),
      );
    } finally {
      await server.close();
    }
  });
});
