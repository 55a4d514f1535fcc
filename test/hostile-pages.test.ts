import { XMLParser, XMLValidator } from 'fast-xml-parser';

import { createAdapters } from '../channels';
import type { Db } from '../src/store';
import { getChannel } from '../src/store/channels';
import { addItems } from '../src/store/items';
import { getItem } from '../src/store/items';
import { savePlan } from '../src/store/plans';
import { getPublication, schedulePublications } from '../src/store/publications';
import { getUnit } from '../src/store/units';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { minimalPlan } from './support/seed';
import { serveForTest } from './support/server';
import { testConfig } from './support/services';

/** What officers have typed to break pages: markup, attribute escapes, script URLs, bidi overrides, control characters. */
const HOSTILE_TEXTS = [
  '<script>alert("xss")</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '<a href="javascript:alert(1)">bấm</a>',
  '<iframe src="https://evil.example"></iframe>',
  '<style>body{display:none}</style>',
  '</div></article><script>alert(2)</script>',
  '&lt;script&gt;alert(3)&lt;/script&gt;',
  'Gia hạn \u202Egnp.exe\u202C ngay',
  'chuông\u0007 và \u0001 tiêu đề \u001B[31m đỏ \uFFFE\uFFFF',
];

/** Elements the pages themselves use and the allowlist lets through; anything else in a page is injected markup. */
const PAGE_TAGS = new Set([
  'html',
  'head',
  'meta',
  'title',
  'body',
  'article',
  'h1',
  'p',
  'small',
  'div',
  'br',
  'em',
  'strong',
  'b',
  'i',
  'u',
  'ul',
  'ol',
  'li',
  'blockquote',
  'h2',
  'h3',
  'h4',
  'a',
  'img',
]);

function injectedMarkup(html: string): string[] {
  const problems: string[] = [];
  for (const [, tag] of html.matchAll(/<\/?([a-zA-Z][\w-]*)/g))
    if (!PAGE_TAGS.has(tag!.toLowerCase())) problems.push(`<${tag}>`);
  for (const [attribute] of html.matchAll(/<[^>]*\s(on\w+)\s*=/gi)) problems.push(attribute);
  if (/<[a-zA-Z][^>]*\s(?:href|src)\s*=\s*["']?\s*javascript:/i.test(html)) problems.push('javascript: URL');
  if (/[\u202A-\u202E\u2066-\u2069]/.test(html)) problems.push('bidi control');
  // eslint-disable-next-line no-control-regex -- finding control characters is the point of this check
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(html)) problems.push('control character');
  return problems;
}

describe.each(DATABASE_KINDS)('officer text cannot inject markup on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;
  let server: Awaited<ReturnType<typeof serveForTest>>;
  const publicationIds: string[] = [];

  beforeAll(async () => {
    database = await freshDatabase(kind);
    const config = testConfig(database.url, { publicUrl: 'https://cong.example.vn' });
    db = await openStore(database.url, { defaultUnit: config.defaultUnit });
    const saved = await savePlan(
      db.kysely,
      { plan: minimalPlan(), sourceName: 'kế hoạch thử', sourceHash: 'hash-doc-hai' },
      'kiểm thử',
    );
    // Stored as they are (addItems takes checked input): rows written before the door checked text must still be safe.
    const items = await addItems(
      db.kysely,
      HOSTILE_TEXTS.map((text, i) => ({
        plan: saved.plan.id,
        area: 'thu-tuc-hanh-chinh',
        unit: 'ubnd-xa-tan-lap',
        title: `Bài ${i} ${text}`,
        body: `Nội dung ${text}\nDòng hai ${text}`,
        link: null,
        image: null,
        priority: 'thong-thuong' as const,
      })),
      'cán bộ A',
    );
    await db.kysely
      .updateTable('content_items')
      .set({ approved_by: 'lãnh đạo B', approved_at: new Date().toISOString() })
      .execute();
    const adapters = createAdapters(config);
    const at = Date.UTC(2026, 10, 23, 1, 0, 0);
    for (const channelId of ['rss', 'radio']) {
      const { created } = await schedulePublications(
        db.kysely,
        items.map((item, i) => ({ itemId: item.id, channelId, scheduledAt: new Date(at + i * 60_000) })),
        'cán bộ A',
      );
      for (const publication of created) {
        // What each channel renders is what publishing stores and the pages show.
        const channel = await getChannel(db.kysely, channelId);
        const post = {
          publication: await getPublication(db.kysely, publication.id),
          item: await getItem(db.kysely, publication.itemId),
          channel,
          unit: await getUnit(db.kysely, channel.unitId),
          areaName: 'Thủ tục <hành chính>',
        };
        const content = await adapters[channel.platform]!.render(post);
        await db.kysely
          .updateTable('publications')
          .set({ state: 'published', content, published_at: new Date(at).toISOString() })
          .where('id', '=', publication.id)
          .execute();
        publicationIds.push(publication.id);
      }
    }
    server = await serveForTest(db, database, config);
  });
  afterAll(() => server.close());

  test('every post page, of every channel, shows the text escaped and injects nothing', async () => {
    expect(publicationIds.length).toBe(HOSTILE_TEXTS.length * 2);
    for (const id of publicationIds) {
      const res = await fetch(`${server.base}/posts/${encodeURIComponent(id)}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      const html = await res.text();
      expect({ id, problems: injectedMarkup(html) }).toEqual({ id, problems: [] });
    }
    const first = await (await fetch(`${server.base}/posts/${encodeURIComponent(publicationIds[0]!)}`)).text();
    expect(first).toContain('&#60;script&#62;alert(&#34;xss&#34;)&#60;/script&#62;'); // the title, shown as typed
  });

  test('the feed stays valid XML and its HTML descriptions inject nothing', async () => {
    const res = await fetch(`${server.base}/rss.xml`);
    const xml = await res.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    // eslint-disable-next-line no-control-regex -- finding control characters is the point of this check
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
    const items = new XMLParser().parse(xml).rss.channel.item as Array<{ title: string; description: string }>;
    expect(items).toHaveLength(HOSTILE_TEXTS.length);
    for (const item of items)
      expect({ title: item.title, problems: injectedMarkup(item.description) }).toEqual({
        title: item.title,
        problems: [],
      });
  });
});
