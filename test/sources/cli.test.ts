import { savePlan } from '../../src/store/plans';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases';
import { openStore } from '../support/open-store';
import { minimalPlan } from '../support/seed';
import { envFor, runLoa, testConfig } from '../support/services';
import { type FeedServer, rssXml, startFeedServer } from './feed-server';

describe.each(DATABASE_KINDS)('loa sources on %s', (kind) => {
  let database: TestDatabase;
  let server: FeedServer;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    database = await freshDatabase(kind);
    const db = await openStore(database.url, { defaultUnit: 'UBND xã Tân Lập' });
    await savePlan(db.kysely, { plan: minimalPlan(), sourceName: 'kế hoạch thử', sourceHash: 'hash-thu' }, 'kiểm thử');
    await db.close();
    server = await startFeedServer();
    server.state.feed = rssXml('Cổng thông tin xã', [
      {
        guid: 'a',
        link: 'https://cong.example.vn/a',
        title: 'Một cửa liên thông',
        pubDate: 'Mon, 02 Nov 2026 01:00:00 GMT',
      },
    ]);
    env = envFor(testConfig(database.url), { LOA_SOURCES_ALLOW_PRIVATE: '1' });
  });

  afterEach(async () => {
    await server.close();
    await database.drop();
  });

  it('adds, polls, lists, shows drafts and removes a source, in Vietnamese', async () => {
    const bad = await runLoa(['sources', 'add', 'ftp://cong.example.vn/rss', '--unit', 'UBND xã Tân Lập'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Lỗi dữ liệu ở "URL": phải bắt đầu bằng http:// hoặc https://');
    const unknownUnit = await runLoa(['sources', 'add', server.url('/feed.xml'), '--unit', 'Xã Không Có'], env);
    expect(unknownUnit.stderr).toContain('Không tìm thấy đơn vị "Xã Không Có"');

    const added = await runLoa(
      ['sources', 'add', server.url('/feed.xml'), '--unit', 'UBND xã Tân Lập', '--de-xuat', 'radio +1d 07:00'],
      env,
    );
    expect(added.stdout).toContain('Đã thêm nguồn tin số 1 cho ubnd-xa-tan-lap');
    const polled = await runLoa(['sources', 'poll'], env);
    expect(polled.stdout).toContain('Nguồn 1: Đọc được 1 tin; 1 tin mới thành bản nháp chờ duyệt');
    expect((await runLoa(['sources'], env)).stdout).toMatch(
      /tốt\s+\S+ \S+\s+Đọc được 1 tin; 1 tin mới thành bản nháp chờ duyệt\s+radio \+1d 07:00/,
    );
    const drafts = await runLoa(['sources', 'drafts'], env);
    expect(drafts.stdout).toMatch(
      /Một cửa liên thông .*thu-tuc-hanh-chinh \(đề xuất\)\s+radio \S+ \S+ \(đề xuất\)\s+chưa duyệt/,
    );

    const removed = await runLoa(['sources', 'remove', '1'], env);
    expect(removed.stdout).toContain('Đã bỏ nguồn tin số 1');
    expect((await runLoa(['sources'], env)).stdout).toContain('Chưa có nguồn tin nào');
  }, 240_000); // eight `loa` processes, each starting Node and TypeScript

  it('reports a broken source and exits non-zero', async () => {
    await runLoa(['sources', 'add', server.url('/missing.xml'), '--unit', 'ubnd-xa-tan-lap'], env);
    const polled = await runLoa(['sources', 'poll'], env);
    expect(polled.code).toBe(1);
    expect(polled.stdout).toContain('Nguồn 1: Máy chủ trả lời 404');
  }, 120_000);
});
