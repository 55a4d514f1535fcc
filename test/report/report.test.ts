import ExcelJS from 'exceljs';
import mammoth from 'mammoth';

import { parsePeriod, periodBetween } from '../../src/domain/report-period';
import { reportCsv } from '../../src/report/csv';
import { reportDocx } from '../../src/report/docx';
import type { PeriodReport } from '../../src/report/report';
import { reportXlsx } from '../../src/report/xlsx';
import type { Db } from '../../src/store';
import { withdrawItem } from '../../src/store/withdrawals';
import { DATABASE_KINDS } from '../support/databases';
import { buildReport } from '../support/report';
import { type FreshStore, freshStore } from '../support/store-fixture';
import { seedKnownLog, vn } from './known-log';

/** A fresh store holding the known log (both describes below start from it). */
async function knownLogStore(kind: 'sqlite' | 'postgres'): Promise<FreshStore> {
  const store = await freshStore(kind);
  await seedKnownLog(store.db.kysely);
  return store;
}

describe.each(DATABASE_KINDS)('period report figures on %s', (kind) => {
  let store: FreshStore;
  let db: Db;
  let report: PeriodReport;

  beforeAll(async () => {
    store = await knownLogStore(kind);
    db = store.db;
    report = await buildReport(db, { period: parsePeriod('2026-Q1'), now: vn('2030-01-01 00:00') });
  });
  afterAll(() => store.dispose());

  test('a publication counts once however many attempts it took; the period is Vietnam days', () => {
    expect(report.totals).toEqual({
      published: 5,
      withdrawn: 0,
      failed: 2,
      unconfirmed: 1,
      expired: 1,
      cancelled: 1,
      pending: 0,
      items: 4,
      itemsOnSeveralChannels: 1,
      publishedAfterRetry: 1,
      attempts: 9,
    });
  });

  test('by channel, platform, unit, area and month', () => {
    const channel = Object.fromEntries(
      report.byChannel.map((c) => [c.channelId, [c.published, c.failed, c.unconfirmed, c.expired, c.cancelled]]),
    );
    expect(channel).toEqual({ rss: [3, 1, 0, 0, 0], radio: [1, 1, 0, 1, 1], 'rss-vh': [1, 0, 1, 0, 0] });
    expect(report.byPlatform.map((p) => [p.platform, p.channels, p.published])).toEqual([
      ['rss', 2, 4],
      ['radio', 1, 1],
    ]);
    expect(report.byUnit.map((u) => [u.unitId, u.published, u.unconfirmed])).toEqual([
      ['ubnd-xa-tan-lap', 4, 0],
      ['phong-van-hoa', 1, 1],
    ]);
    expect(report.byArea.map((a) => [a.areaKey, a.published, a.items])).toEqual([
      ['thu-tuc-hanh-chinh', 4, 3],
      ['chinh-phu-so', 1, 1],
    ]);
    expect(
      report.byMonth.map((m) => [m.month, m.published, m.failed + m.cancelled + m.expired + m.unconfirmed]),
    ).toEqual([
      ['2026-01', 2, 1],
      ['2026-02', 2, 1],
      ['2026-03', 1, 3],
    ]);
    expect(report.reach).toEqual([
      { channels: 1, items: 3 },
      { channels: 2, items: 1 },
    ]);
  });

  test('reasons are grouped and on-time shares use the scheduled time', () => {
    expect(report.problems.map((p) => [p.state, p.reason, p.count])).toEqual([
      ['failed', 'Kịch bản quá dài', 2],
      ['expired', 'Chưa duyệt trước giờ đăng', 1],
      ['unconfirmed', 'Không xác nhận được', 1],
      ['cancelled', 'Trùng nội dung', 1],
    ]);
    expect(report.punctuality).toMatchObject({
      published: 5,
      withinOneMinute: 3,
      withinFiveMinutes: 4,
      shareWithinOneMinute: 0.6,
      shareWithinFiveMinutes: 0.8,
    });
    expect(report.punctuality.worst.map((w) => [w.title, w.delaySeconds])).toEqual([
      ['Bài 2', 600],
      ['Bài 1', 180],
      ['Bài 4', 45],
      ['Bài 1', 30],
      ['Số hóa 1', 20],
    ]);
  });

  test('23:30 on 31/3 Vietnam time is March; 00:30 on 1/4 is April', async () => {
    const march = await buildReport(db, { period: parsePeriod('2026-03') });
    expect(march.byChannel.find((c) => c.channelId === 'rss')!.published).toBe(1);
    expect(march.byChannel.find((c) => c.channelId === 'radio')?.published ?? 0).toBe(0);
    const april = await buildReport(db, { period: parsePeriod('2026-04') });
    expect(april.totals.published).toBe(1);
    expect(april.byChannel.map((c) => c.channelId)).toEqual(['radio']);
  });

  test('a from–to period counts the days of its partial months at both edges', async () => {
    // 10/01–01/02 Vietnam days: i1 on rss and radio (10/01), i5 expired on radio (20/01), i2 on rss (01/02 06:00,
    // 31/1 in UTC) and i5 on rss-vh (01/02 08:00); not i5's unconfirmed 10/02 nor anything of March.
    const range = await buildReport(db, {
      period: periodBetween('10/01/2026', '01/02/2026'),
      now: vn('2030-01-01 00:00'),
    });
    expect([
      range.totals.published,
      range.totals.expired,
      range.totals.failed,
      range.totals.unconfirmed,
      range.totals.attempts,
    ]).toEqual([4, 1, 0, 0, 5]);
    expect(range.byMonth.map((m) => [m.month, m.published])).toEqual([
      ['2026-01', 2],
      ['2026-02', 2],
    ]);
    const edge = await buildReport(db, { period: periodBetween('11/01/2026', '31/01/2026') });
    expect([edge.totals.published, edge.totals.expired]).toEqual([0, 1]);
  });

  test('--unit narrows the figures to that unit’s channels', async () => {
    const unit = await buildReport(db, { period: parsePeriod('2026-Q1'), unitId: 'phong-van-hoa' });
    expect(unit.unit).toEqual({ id: 'phong-van-hoa', name: 'Phòng Văn hóa - Thông tin' });
    expect([unit.totals.published, unit.totals.unconfirmed, unit.totals.failed]).toEqual([1, 1, 0]);
  });
});

describe.each(DATABASE_KINDS)('a post published and then withdrawn, in the period report on %s', (kind) => {
  let store: FreshStore;
  let db: Db;
  let report: PeriodReport;

  beforeAll(async () => {
    store = await knownLogStore(kind);
    db = store.db;
    // i2 ("Bài 2"): published on rss 01/02 (10 min late), failed on radio 01/03. Taken down in April, after the quarter.
    const i2 = (
      await db.kysely
        .selectFrom('content_items')
        .select('id')
        .orderBy('id')
        .offset(1)
        .limit(1)
        .executeTakeFirstOrThrow()
    ).id;
    await withdrawItem(db.kysely, i2, 'cán bộ B', 'Thông tin đã thay đổi', vn('2026-04-02 09:00'));
    report = await buildReport(db, { period: parsePeriod('2026-Q1'), now: vn('2030-01-01 00:00') });
  });
  afterAll(() => store.dispose());

  test('it still counts as published where and when it went out, and is counted apart as taken down, by reason and channel', () => {
    expect(report.totals).toMatchObject({ published: 5, withdrawn: 1, failed: 2, items: 4, itemsOnSeveralChannels: 1 });
    expect(report.withdrawals).toEqual([
      { reason: 'Thông tin đã thay đổi', channelId: 'rss', channelName: expect.any(String), count: 1 },
    ]);
    const channel = Object.fromEntries(report.byChannel.map((c) => [c.channelId, [c.published, c.withdrawn]]));
    expect(channel).toEqual({ rss: [3, 1], radio: [1, 0], 'rss-vh': [1, 0] });
    expect(report.byUnit.map((u) => [u.unitId, u.published, u.withdrawn])).toEqual([
      ['ubnd-xa-tan-lap', 4, 1],
      ['phong-van-hoa', 1, 0],
    ]);
    expect(report.byMonth.map((m) => [m.month, m.published, m.withdrawn])).toEqual([
      ['2026-01', 2, 0],
      ['2026-02', 2, 1],
      ['2026-03', 1, 0],
    ]);
    expect(report.byArea.map((a) => [a.areaKey, a.published, a.items])).toEqual([
      ['thu-tuc-hanh-chinh', 4, 3],
      ['chinh-phu-so', 1, 1],
    ]);
    expect(report.punctuality).toMatchObject({ published: 5, withinOneMinute: 3, withinFiveMinutes: 4 });
    expect(report.punctuality.worst[0]).toMatchObject({ title: 'Bài 2', delaySeconds: 600 });
  });

  test('every format shows it: summary, CSV, XLSX and DOCX', async () => {
    const csv = reportCsv(report);
    expect(csv).toContain('Đã đăng rồi gỡ xuống: lý do gỡ, theo kênh');
    expect(csv).toMatch(/Thông tin đã thay đổi,rss,[^\r\n]*,1\r\n/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await reportXlsx(report)) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Đã gỡ xuống')!;
    expect([
      sheet.getRow(2).getCell(1).value,
      sheet.getRow(2).getCell(2).value,
      sheet.getRow(2).getCell(4).value,
    ]).toEqual(['Thông tin đã thay đổi', 'rss', 1]);
    const channels = book.getWorksheet('Theo kênh')!;
    expect([
      channels.getRow(1).getCell(6).value,
      channels.getRow(2).getCell(1).value,
      channels.getRow(2).getCell(6).value,
    ]).toEqual(['Trong đó đã gỡ', 'rss', 1]);
    const text = (
      await mammoth.extractRawText({ buffer: await reportDocx(report, { issuer: 'UBND xã Tân Lập' }) })
    ).value.replace(/\s+/g, ' ');
    expect(text).toContain('có 1 tin, bài đã gỡ xuống theo yêu cầu');
    expect(text).toContain('Thông tin đã thay đổi');
  });

  test('taken down after a month it was not published in changes nothing there', async () => {
    const march = await buildReport(db, { period: parsePeriod('2026-03') });
    expect([march.totals.withdrawn, march.withdrawals]).toEqual([0, []]);
  });
});
