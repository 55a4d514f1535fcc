import {
  type Adapters,
  type ChannelAdapter,
  type ChannelDescriptor,
  createAdapters,
  platformsOf,
  type PostContext,
  type PublishOutcome,
  REGISTRY,
} from '../../channels';
import { saveChannelAs } from '../../src/actions/admin';
import type { Actor } from '../../src/domain/access';
import { ValidationError } from '../../src/domain/errors';
import { parsePeriod } from '../../src/domain/report-period';
import { importPlanText, proposeCalendar } from '../../src/importer';
import { buildReport } from '../../src/report/build';
import type { Db } from '../../src/store';
import { addItems, approveItem } from '../../src/store/items';
import { savePlan } from '../../src/store/plans';
import { schedulePublications } from '../../src/store/publications';
import { publishOne } from '../../worker/publish-job';
import { publish, vn } from '../report/known-log';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases';
import { openStore } from '../support/open-store';
import { PROJECT } from '../support/services';

/**
 * The README's claim for a new platform: a folder in channels/ and its line in the registry, nothing else. This
 * test is that folder (a province's smart-loudspeaker system, "hệ thống thông tin nguồn") and that line (its
 * registry is REGISTRY and one descriptor more), and shows the importer, a channel's creation and checks, the
 * calendar, the publish path and the report taking the platform without any other file knowing it.
 */
class SmartSpeakers implements ChannelAdapter {
  readonly platform = 'loa-thong-minh';
  readonly idempotent = true;
  readonly sent: string[] = [];

  constructor(readonly env: NodeJS.ProcessEnv) {}

  render(post: PostContext): Promise<string> {
    return Promise.resolve(`${post.item.title}. ${post.item.body}`);
  }

  publish(post: PostContext, rendered: string): Promise<PublishOutcome> {
    this.sent.push(rendered);
    return Promise.resolve({
      status: 'sent',
      externalId: `ttn-${post.publication.id}`,
      externalUrl: null,
      content: rendered,
    });
  }

  checkSettings(settings: Record<string, unknown>): void {
    if (typeof settings.cumLoa !== 'string' || settings.cumLoa === '')
      throw new Error('cumLoa: cần mã cụm loa của xã trên hệ thống thông tin nguồn');
  }
}

const SMART_SPEAKERS: ChannelDescriptor = {
  name: 'loa-thong-minh',
  label: 'Hệ thống thông tin nguồn',
  words: ['thông tin nguồn', 'loa thông minh'],
  publishingTime: { weekday: 6, hour: 17, minute: 0 },
  env: ['THONG_TIN_NGUON_URL'],
  create: ({ env }) => new SmartSpeakers(env),
};

/** The one line. */
const registry = [...REGISTRY, SMART_SPEAKERS];
const platforms = platformsOf(registry);

const PLAN = [
  'ỦY BAN NHÂN DÂN TỈNH TÂY NINH',
  'Số: 21/KH-UBND',
  'Tây Ninh, ngày 05 tháng 01 năm 2026',
  'KẾ HOẠCH',
  'Thông tin, tuyên truyền cải cách hành chính năm 2026',
  'I. NỘI DUNG TUYÊN TRUYỀN',
  '- Kết quả cải cách thủ tục hành chính.',
  'II. HÌNH THỨC TUYÊN TRUYỀN',
  '- Phát bản tin trên Hệ thống thông tin nguồn của tỉnh.',
  '- Đăng tải trên Cổng thông tin điện tử của tỉnh.',
].join('\n');

const ADMIN: Actor = { name: 'Quản trị', role: 'admin', unitId: null, source: 'CLI' };
const config = { templatesDir: `${PROJECT}/templates`, exportDir: '/nonexistent', publicUrl: 'http://127.0.0.1' };
const ENV = { THONG_TIN_NGUON_URL: 'http://127.0.0.1:9/ttn', LOA_FACEBOOK_PAGE_TOKEN: 'không-phải-của-nó' };

test('the importer reads the platform from its words; without its descriptor they name no platform', () => {
  const kinds = (known = platforms) =>
    importPlanText(PLAN, known).plan.channels.map((c) => c.platform ?? c.offlineForm);
  expect(kinds()).toEqual(['loa-thong-minh', 'rss']);
  expect(kinds(platformsOf(REGISTRY))).toEqual(['khac', 'rss']);
});

test('the calendar gives it slots at the time its descriptor declares (Saturday 17:00 in Vietnam)', () => {
  const { plan } = importPlanText(PLAN, platforms);
  const { slots } = proposeCalendar(plan, { from: '2026-03-02', to: '2026-03-08', platforms });
  expect(slots.filter((s) => s.platform === 'loa-thong-minh').map((s) => s.at)).toEqual(['2026-03-07T17:00:00+07:00']);
});

test('its adapter sees the variables its descriptor declares, and no other platform’s', () => {
  const adapter = createAdapters(config, undefined, ENV, registry)['loa-thong-minh'] as SmartSpeakers;
  expect(adapter.env).toEqual({ THONG_TIN_NGUON_URL: 'http://127.0.0.1:9/ttn' });
});

describe.each(DATABASE_KINDS)('a channel of the new platform on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;
  let adapters: Adapters;

  beforeAll(async () => {
    database = await freshDatabase(kind);
    db = await openStore(database.url, { defaultUnit: 'UBND tỉnh Tây Ninh' });
    adapters = createAdapters(config, undefined, ENV, registry);
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  const input = (settings: Record<string, unknown>) => ({
    unit: 'ubnd-tinh-tay-ninh',
    platform: 'loa-thong-minh',
    name: 'Cụm loa xã Tân Lập',
    id: 'ttn-tan-lap',
    settings,
  });

  test('is created and checked by its adapter; an installation without the descriptor refuses the platform', async () => {
    const refusal = (error: unknown) => (error instanceof ValidationError ? [error.field, error.reason] : error);
    await expect(saveChannelAs(db.kysely, ADMIN, adapters, input({})).catch(refusal)).resolves.toEqual([
      'settings',
      'cumLoa: cần mã cụm loa của xã trên hệ thống thông tin nguồn',
    ]);
    const without = createAdapters(config, undefined, ENV);
    const [field, reason] = (await saveChannelAs(db.kysely, ADMIN, without, input({ cumLoa: 'tl-01' })).catch(
      refusal,
    )) as [string, string];
    expect(field).toBe('platform');
    expect(reason).toContain('"loa-thong-minh" không có');

    const channel = await saveChannelAs(db.kysely, ADMIN, adapters, input({ cumLoa: 'tl-01' }));
    expect(channel).toMatchObject({ id: 'ttn-tan-lap', platform: 'loa-thong-minh' });
  });

  test('publishes through the generic path, and the report lists it with its label', async () => {
    const { plan: structure, sourceHash } = importPlanText(PLAN, platforms);
    const { plan } = await savePlan(db.kysely, { plan: structure, sourceName: 'kh-21.txt', sourceHash }, 'kiểm thử');
    const [item] = await addItems(
      db.kysely,
      [
        {
          plan: plan.id,
          area: 'thu-tuc-hanh-chinh',
          unit: 'ubnd-tinh-tay-ninh',
          title: 'Nộp hồ sơ trực tuyến',
          body: 'Người dân nộp hồ sơ tại nhà.',
          link: null,
          image: null,
          priority: 'thong-thuong' as const,
        },
      ],
      'cán bộ A',
    );
    await approveItem(db.kysely, item!.id, 'lãnh đạo');
    const { created } = await schedulePublications(
      db.kysely,
      [{ itemId: item!.id, channelId: 'ttn-tan-lap', scheduledAt: new Date() }],
      'cán bộ A',
    );
    const deps = { db: db.kysely, adapters, worker: 'w1', log: () => undefined };
    expect(await publishOne(deps, created[0]!.id, false)).toBe('published');
    expect((adapters['loa-thong-minh'] as SmartSpeakers).sent).toEqual([
      'Nộp hồ sơ trực tuyến. Người dân nộp hồ sơ tại nhà.',
    ]);

    // The report's figures for a past month, written as the publish protocol leaves them (known-log).
    await publish(db.kysely, item!.id, 'ttn-tan-lap', vn('2026-03-07 17:00'), [{ outcome: 'published', after: 5 }]);
    const report = await buildReport(db, { period: parsePeriod('2026-03'), platforms, now: vn('2026-04-01 00:00') });
    expect(report.byPlatform.find((p) => p.platform === 'loa-thong-minh')).toMatchObject({
      label: 'Hệ thống thông tin nguồn',
      channels: 1,
      published: 1,
    });
    expect(report.plans[0]!.channels.find((c) => c.platform === 'loa-thong-minh')).toMatchObject({
      label: 'Hệ thống thông tin nguồn',
      hasChannel: true,
    });
  });
});
