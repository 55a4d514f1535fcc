import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createAdapters } from '../channels';
import type { ChannelAccount, Unit } from '../src/domain/channel';
import type { ContentItem } from '../src/domain/content-item';
import { PreviewCache } from '../src/http/pages/preview-cache';
import { previewsFor } from '../src/http/pages/previews';

/**
 * The approval queue keeps rendered previews between views. What it shows must be exactly what a render gives now:
 * the same text for the same inputs, and a new render when the item, a channel's settings or a template changes.
 */
describe('previews kept between views of the approval queue', () => {
  let dir: string;
  let templatesDir: string;
  let adapters: ReturnType<typeof createAdapters>;
  const unit: Unit = { id: 'ubnd-xa-tan-lap', name: 'UBND xã Tân Lập' };
  const channels: ChannelAccount[] = [
    { id: 'rss', unitId: unit.id, platform: 'rss', name: 'Cổng thông tin', settings: {} },
    { id: 'radio', unitId: unit.id, platform: 'radio', name: 'Đài truyền thanh xã', settings: {} },
  ];
  const at = new Date('2030-03-02T01:00:00Z');
  const item: ContentItem = {
    id: 7,
    planId: 1,
    areaKey: 'the-che',
    unitId: unit.id,
    title: 'Đăng ký khai sinh trực tuyến',
    body: 'Từ ngày 01/3, người dân đăng ký khai sinh qua Cổng dịch vụ công, không phải đến UBND xã.',
    link: null,
    image: null,
    priority: 'thong-thuong',
    author: 'Cán bộ An',
    approvedBy: null,
    approvedAt: null,
    createdAt: new Date('2030-02-01T00:00:00Z'),
    updatedAt: new Date('2030-02-01T00:00:00Z'),
  };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-preview-cache-'));
    templatesDir = path.join(dir, 'templates');
    fs.cpSync(path.join(__dirname, '../templates'), templatesDir, { recursive: true });
    adapters = createAdapters({ templatesDir, exportDir: path.join(dir, 'export'), publicUrl: 'http://127.0.0.1' });
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const render = (cache: PreviewCache | undefined, what: ContentItem, accounts = channels) =>
    previewsFor(adapters, what, unit, 'Cải cách thể chế', accounts, at, undefined, ['rss', 'radio'], cache?.forPage());

  test('a kept preview is the one an uncached render gives, and a second view renders nothing again', async () => {
    const cache = new PreviewCache(templatesDir);
    const uncached = await render(undefined, item);
    const first = await render(cache, item);
    expect(first).toEqual(uncached);
    expect(first.map((p) => p.platform)).toEqual(['rss', 'radio']);
    expect(first[1]!.duration).not.toBeNull();
    expect(cache.size).toBe(2);
    // A second view is served from the cache: an adapter that would now render differently is not called.
    const radio = adapters.radio!;
    const original = radio.render.bind(radio);
    radio.render = async () => 'không được gọi';
    try {
      expect(await render(cache, item)).toEqual(uncached);
    } finally {
      radio.render = original;
    }
  });

  test('an edited item, a changed station setting or an edited template is rendered again', async () => {
    const cache = new PreviewCache(templatesDir);
    await render(cache, item);
    const edited = { ...item, body: `${item.body} Hồ sơ được trả kết quả trong ngày.`, updatedAt: new Date() };
    const afterEdit = await render(cache, edited);
    expect(afterEdit).toEqual(await render(undefined, edited));
    expect(afterEdit[0]!.text).toContain('trả kết quả trong ngày');

    const slower = channels.map((c) => (c.platform === 'radio' ? { ...c, settings: { syllablesPerMinute: 120 } } : c));
    const afterSetting = await render(cache, edited, slower);
    expect(afterSetting[1]!.duration).toBe((await render(undefined, edited, slower))[1]!.duration);
    expect(afterSetting[1]!.duration).not.toBe(afterEdit[1]!.duration);

    // An officer edits the portal's template (a later modification time, as an editor's save gives).
    const file = path.join(templatesDir, 'rss.liquid');
    fs.writeFileSync(file, `ĐÃ SỬA MẪU\n${fs.readFileSync(file, 'utf8')}`);
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(file, later, later);
    const afterTemplate = await render(cache, edited, slower);
    expect(afterTemplate[0]!.text).toContain('ĐÃ SỬA MẪU');
    expect(afterTemplate).toEqual(await render(undefined, edited, slower));
  });

  test('the least recently used renders are forgotten beyond the limit', async () => {
    const cache = new PreviewCache(templatesDir, { maxEntries: 3 });
    for (let id = 1; id <= 4; id++) await render(cache, { ...item, id });
    expect(cache.size).toBe(3);
  });
});
