import fs from 'node:fs';
import path from 'node:path';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { z } from 'zod';

import { PLATFORMS } from '../../../channels';
import { type Actor, atLeast } from '../../domain/access';
import { ValidationError } from '../../domain/errors';
import { parsePeriod, periodBetween, type ReportPeriod } from '../../domain/report-period';
import { LOCAL_ZONE } from '../../domain/time';
import { buildReport } from '../../report/build';
import type { PeriodReport } from '../../report/report';
import type { Db } from '../../store';
import { listUnits } from '../../store/units';
import type { HttpDeps } from '../deps';
import { field, text } from '../forms';
import { keptRead } from '../pages/kept-reads';
import { PAGE_SECURITY_HEADERS, pageFrame, renderView, sendPage } from '../pages/render';

const STYLESHEET = fs.readFileSync(path.join(__dirname, '../pages/static/report.css'));
const ROMAN = ['I', 'II', 'III', 'IV'];
/** What each download is, for its URL, its type and its file name. */
const FORMATS = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  json: 'application/json; charset=utf-8',
} as const;
type Format = keyof typeof FORMATS;
const CHARTS = ['theo-kenh', 'theo-linh-vuc', 'theo-thang'] as const;

interface ReportQuery {
  /** 2026-Q1, 2026-H1, 2026, 2026-03 */
  ky?: string;
  /** Or from one Vietnam day to another (YYYY-MM-DD, as a date input sends them). */
  tu?: string;
  den?: string;
  /** An admin's choice of unit; empty for the whole province. */
  donvi?: string;
}

/** The report's period and unit, as the address carries them: each named as the report's form shows it. */
const queryShape = z.object({
  ky: text('Kỳ báo cáo', 40),
  tu: text('Từ ngày', 40),
  den: text('Đến ngày', 40),
  donvi: text('Đơn vị', 40),
});

const given = (value: string | undefined) => (value && value.trim() !== '' ? value.trim() : undefined);

/** The periods offered in the picker: this year's and last year's, newest first. */
function periodChoices(now: DateTime): Array<{ group: string; options: Array<{ key: string; label: string }> }> {
  return [now.year, now.year - 1].map((year) => ({
    group: `Năm ${year}`,
    options: [
      { key: `${year}`, label: `Cả năm ${year}` },
      { key: `${year}-H1`, label: `6 tháng đầu năm ${year}` },
      { key: `${year}-H2`, label: `6 tháng cuối năm ${year}` },
      ...ROMAN.map((r, i) => ({ key: `${year}-Q${i + 1}`, label: `Quý ${r} năm ${year}` })),
      ...Array.from({ length: 12 }, (_, i) => ({
        key: `${year}-${String(i + 1).padStart(2, '0')}`,
        label: `Tháng ${i + 1}/${year}`,
      })),
    ],
  }));
}

/** The period on screen stays selectable when it is older than the picker's two years. */
function withCurrent(
  groups: ReturnType<typeof periodChoices>,
  period: { key: string; label: string } | null,
): ReturnType<typeof periodChoices> {
  if (!period || groups.some((g) => g.options.some((o) => o.key === period.key))) return groups;
  return [{ group: 'Kỳ đang xem', options: [{ key: period.key, label: period.label }] }, ...groups];
}

/** The period asked for: from–to when both days are given, else the period key, else the current quarter. */
function periodOf(q: ReportQuery, now: DateTime): ReportPeriod {
  const from = given(q.tu);
  const to = given(q.den);
  if (from || to) {
    if (!from || !to) throw new ValidationError(from ? 'Đến ngày' : 'Từ ngày', 'cần cả ngày đầu và ngày cuối của kỳ');
    try {
      return periodBetween(from, to);
    } catch (error) {
      if (error instanceof ValidationError)
        throw new ValidationError(error.field === '--from' ? 'Từ ngày' : 'Đến ngày', error.reason);
      throw error;
    }
  }
  return parsePeriod(given(q.ky) ?? `${now.year}-Q${Math.ceil(now.month / 3)}`, 'Kỳ báo cáo');
}

/**
 * The unit the report covers: a supervisor's own unit always (another unit is "not found", as everywhere on the
 * desk); an admin's choice, or the whole province. Officers write and queue; the period report is a supervisor's.
 */
async function unitFor(
  db: Db,
  actor: Actor,
  asked: string | undefined,
): Promise<{ unitId?: string; units: Array<{ id: string; name: string }> } | 'not-found'> {
  const units = await listUnits(db.kysely);
  if (actor.role === 'admin') {
    if (asked !== undefined && !units.some((u) => u.id === asked)) return 'not-found';
    return { unitId: asked, units };
  }
  if (asked !== undefined && asked !== actor.unitId) return 'not-found';
  return { unitId: actor.unitId ?? '\u0000no-unit', units: units.filter((u) => u.id === actor.unitId) };
}

/** The query string that asks for the same report again (for the downloads and charts). */
function sameReport(q: ReportQuery, unitId: string | undefined, actor: Actor): string {
  const params = new URLSearchParams();
  if (given(q.tu) && given(q.den)) {
    params.set('tu', given(q.tu)!);
    params.set('den', given(q.den)!);
  } else if (given(q.ky)) params.set('ky', given(q.ky)!);
  if (actor.role === 'admin' && unitId) params.set('donvi', unitId);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Formats a table cell for the page as the CSV does: shares as percentages, counts as Vietnamese numbers. */
function shownCell(
  value: string | number | null,
  kind: 'text' | 'count' | 'share',
  percent: (n: number | null) => string,
  n: (v: number) => string,
): string {
  if (kind === 'share') return percent(value as number | null);
  if (kind === 'count' && typeof value === 'number') return n(value);
  return value === null ? '' : String(value);
}

/**
 * The period report on the web desk (`/desk/bao-cao`): the period and unit picked in a plain GET form, the written
 * summary, the charts (SVG images served beside the page, so the CSP's no-inline-script rule holds and nothing is
 * inlined from a renderer), every table, and the downloads in each format the CLI writes.
 */
export async function deskReportRoutes(
  app: FastifyInstance,
  { db, config }: Pick<HttpDeps, 'db' | 'config'>,
): Promise<void> {
  app.get('/desk/static/report.css', async (_req, res) =>
    res.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=86400').send(STYLESHEET),
  );

  /** The report asked for, or the page that says why not (already sent). */
  async function reportFor(req: FastifyRequest<{ Querystring: ReportQuery }>, res: FastifyReply) {
    const actor = req.actor!;
    if (!atLeast(actor, 'supervisor')) {
      await sendPage(
        res,
        'message',
        {
          ...(await pageFrame(db, req)),
          page: 'bao-cao',
          title: 'Không xem được báo cáo',
          message: 'Báo cáo kỳ dành cho lãnh đạo duyệt bài và quản trị; cán bộ không xem được trang này.',
        },
        403,
      );
      return null;
    }
    const now = DateTime.now().setZone(LOCAL_ZONE);
    const scope = await unitFor(db, actor, given(req.query.donvi));
    if (scope === 'not-found') {
      await sendPage(
        res,
        'message',
        {
          ...(await pageFrame(db, req)),
          page: 'bao-cao',
          title: 'Không tìm thấy đơn vị',
          message: `Không có đơn vị "${req.query.donvi}".`,
        },
        404,
      );
      return null;
    }
    let period: ReportPeriod;
    try {
      period = periodOf(req.query, now);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      await sendPage(
        res,
        'message',
        {
          ...(await pageFrame(db, req)),
          page: 'bao-cao',
          title: 'Kỳ báo cáo không hợp lệ',
          message: `${error.field}: ${error.reason}.`,
        },
        400,
      );
      return null;
    }
    // The report says nothing of who asks beyond the unit: built once per period, unit, minute (it judges the plan's
    // activities at the time it is built) and version of the data (keptRead).
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const key = `report ${JSON.stringify(period)} ${scope.unitId ?? ''} ${minute.toISOString()}`;
    const report = await keptRead(db, key, () =>
      buildReport(db, { period, platforms: PLATFORMS, unitId: scope.unitId, now: minute }),
    );
    return { report, key, scope, now, query: sameReport(req.query, scope.unitId, actor) };
  }

  app.get<{ Querystring: ReportQuery }>('/desk/bao-cao', { schema: { querystring: queryShape } }, async (req, res) => {
    const found = await reportFor(req, res);
    if (!found) return res;
    const { report, key, scope, now, query } = found;
    // What the page shows of the report, worked out once per report (keptRead, as the report itself).
    const shown = await keptRead(db, `report page ${key} ${query}`, async () => {
      const { reportTables } = require('../../report/tables') as typeof import('../../report/tables');
      const { summarise, percent, n } = require('../../report/summary') as typeof import('../../report/summary');
      const { reportChartList } = require('../../report/charts') as typeof import('../../report/charts');
      const tables = reportTables(report).map((table, i) => ({
        id: `bang-${i + 1}`,
        title: table.title,
        headers: table.columns.map((c) => ({ text: c.header, numeric: c.kind !== 'text' })),
        rows: table.rows.map((row) =>
          row.map((cell, j) => ({
            text: shownCell(cell, table.columns[j]!.kind, percent, n),
            numeric: table.columns[j]!.kind !== 'text',
          })),
        ),
      }));
      return {
        summary: summarise(report),
        totals: [
          { label: 'Lượt đăng thành công', value: n(report.totals.published) },
          { label: 'Nội dung đã đăng', value: n(report.totals.items) },
          // A part of the published ones (they went out at their time), shown beside them; reasons in "Đã gỡ xuống".
          { label: 'Trong đó đã gỡ xuống', value: n(report.totals.withdrawn) },
          {
            label: 'Không đăng được',
            value: n(
              report.totals.failed + report.totals.unconfirmed + report.totals.expired + report.totals.cancelled,
            ),
          },
          { label: 'Đúng giờ (trong 5 phút)', value: percent(report.punctuality.shareWithinFiveMinutes) },
        ],
        // With nothing published in the period a chart would be bare axes: the page says so instead.
        charts: (report.totals.published > 0 ? reportChartList(report) : []).map((chart) => ({
          src: `/desk/bao-cao/bieu-do/${chart.name}.svg${query}`,
          title: chart.title,
          width: chart.width,
          height: chart.height,
        })),
        tables,
        tablesHtml: renderView('report-tables', { tables }),
      };
    });
    const custom = Boolean(given(req.query.tu) && given(req.query.den));
    return sendPage(res, 'report', {
      ...(await pageFrame(db, req)),
      page: 'bao-cao',
      title: `Báo cáo ${report.period.label}`,
      report: {
        label: report.period.label,
        firstDay: DateTime.fromISO(report.period.firstDay).toFormat('dd/LL/yyyy'),
        lastDay: DateTime.fromISO(report.period.lastDay).toFormat('dd/LL/yyyy'),
        unit: report.unit?.name ?? 'toàn tỉnh',
      },
      ...shown,
      downloads: (Object.keys(FORMATS) as Format[]).map((format) => ({
        format: format.toUpperCase(),
        href: `/desk/bao-cao/tai-ve.${format}${query}`,
      })),
      choices: {
        periods: withCurrent(periodChoices(now), custom ? null : report.period),
        units: scope.units,
        admin: req.actor!.role === 'admin',
      },
      filter: {
        ky: custom ? '' : report.period.key,
        tu: given(req.query.tu) ?? '',
        den: given(req.query.den) ?? '',
        donvi: req.actor!.role === 'admin' ? (scope.unitId ?? '') : '',
      },
    });
  });

  app.get<{ Querystring: ReportQuery; Params: { name: string } }>(
    '/desk/bao-cao/bieu-do/:name',
    { schema: { querystring: queryShape, params: z.object({ name: field('Biểu đồ', z.string().max(100)) }) } },
    async (req, res) => {
      const name = req.params.name.replace(/\.svg$/, '');
      if (!(CHARTS as readonly string[]).includes(name))
        return res.code(404).type('text/plain; charset=utf-8').send('Không có biểu đồ này');
      const found = await reportFor(req, res);
      if (!found) return res;
      const { reportCharts } = require('../../report/charts') as typeof import('../../report/charts');
      const chart = reportCharts(found.report, name as (typeof CHARTS)[number])[0]!;
      // An SVG image cannot run script where it is shown as <img>; the CSP forbids it if opened on its own.
      return res
        .headers(PAGE_SECURITY_HEADERS)
        .type('image/svg+xml; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .send(chart.svg);
    },
  );

  app.get<{ Querystring: ReportQuery; Params: { format: string } }>(
    '/desk/bao-cao/tai-ve.:format',
    { schema: { querystring: queryShape, params: z.object({ format: field('Dạng tệp', z.string().max(20)) }) } },
    async (req, res) => {
      const format = req.params.format as Format;
      if (!(format in FORMATS)) return res.code(404).type('text/plain; charset=utf-8').send('Không có dạng tệp này');
      const found = await reportFor(req, res);
      if (!found) return res;
      const bytes = await reportFile(
        found.report,
        format,
        found.scope.unitId ? (found.report.unit?.name ?? config.defaultUnit) : config.defaultUnit,
      );
      const name = `bao-cao-${found.report.period.key.replace(/\.\./g, '-den-')}${found.report.unit ? `-${found.report.unit.id}` : ''}.${format}`;
      return res
        .headers(PAGE_SECURITY_HEADERS)
        .type(FORMATS[format])
        .header('content-disposition', `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
        .header('cache-control', 'private, no-store')
        .send(bytes);
    },
  );
}

async function reportFile(report: PeriodReport, format: Format, issuer: string): Promise<Buffer | string> {
  if (format === 'json') return JSON.stringify(report, null, 2);
  if (format === 'csv') return (require('../../report/csv') as typeof import('../../report/csv')).reportCsv(report);
  if (format === 'xlsx') return (require('../../report/xlsx') as typeof import('../../report/xlsx')).reportXlsx(report);
  return (require('../../report/docx') as typeof import('../../report/docx')).reportDocx(report, { issuer });
}
