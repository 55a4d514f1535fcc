import fs from 'node:fs';
import path from 'node:path';

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DateTime } from 'luxon';
import { z } from 'zod';

import { PLATFORMS } from '../../../channels';
import { countLogFor, readLogFor } from '../../actions/publications';
import { type Actor, unitScope } from '../../domain/access';
import { CONTENT_AREAS } from '../../domain/plan';
import { MAIN_POST, PLATFORM_POST_STATE_LABELS } from '../../domain/platform-post';
import {
  ATTEMPT_LABELS,
  PENDING_STATES,
  PUBLICATION_STATES,
  type PublicationState,
  STATE_LABELS,
} from '../../domain/publication';
import { formatLocal, formatLongLocal, LOCAL_ZONE } from '../../domain/time';
import type { Db } from '../../store';
import { listChannels } from '../../store/channels';
import { calendarCoverage, listCalendarDays, planDemands } from '../../store/desk-views';
import { listUnits } from '../../store/units';
import type { HttpDeps } from '../deps';
import { pageNumber, text } from '../forms';
import { fillGrid, periodOf, WEEKDAY_NAMES } from '../pages/calendar-grid';
import { keptRead } from '../pages/kept-reads';
import { pageHref, pagingOf } from '../pages/paging';
import { pageFrame, renderView, sendPage } from '../pages/render';

/** Lines of the publish log on one page. */
const LOG_LINES_PER_PAGE = 50;
/**
 * A calendar day shows its first posts, and how many more with a link to the next closer view (the month's day to its
 * week, the week's day to that day's log): a province's month of 3,000 posts would otherwise be one page of 3,000
 * lines, too heavy to send and to read on a phone.
 */
const MONTH_LINES_PER_DAY = 4;
const WEEK_LINES_PER_DAY = 20;

const STYLESHEET = fs.readFileSync(path.join(__dirname, '../pages/static/desk.css'));
const areaName = (key: string) => CONTENT_AREAS[key as keyof typeof CONTENT_AREAS] ?? key;
const platformName = (key: string) => PLATFORMS.label(key);
/** Filters come from a form: an empty select means "all". */
const chosen = (value: string | undefined) => (value && value.trim() !== '' ? value.trim() : undefined);

interface DeskQuery {
  xem?: string;
  ngay?: string;
  kenh?: string;
  linhvuc?: string;
  donvi?: string;
  trangthai?: string;
  tu?: string;
  den?: string;
  /** The page of a paged list, from 1. */
  trang?: string;
}

/** The calendar's and the log's filters, as the address carries them: each named as its form shows it. */
const queryShape = z.object({
  xem: text('Kiểu xem', 100),
  ngay: text('Ngày', 100),
  kenh: text('Kênh', 100),
  linhvuc: text('Lĩnh vực', 100),
  donvi: text('Đơn vị', 100),
  trangthai: text('Trạng thái', 100),
  tu: text('Từ ngày', 100),
  den: text('Đến ngày', 100),
  trang: pageNumber,
});

/** The choices a person's filters offer: only their own unit's channels, unless an admin. */
async function filterChoices(db: Db, actor: Actor) {
  const scope = unitScope(actor);
  const [channels, units] = await Promise.all([listChannels(db.kysely), listUnits(db.kysely)]);
  return {
    channels: channels
      .filter((c) => scope === undefined || c.unitId === scope)
      .map((c) => ({ id: c.id, name: `${c.name} (${platformName(c.platform)})` })),
    units: units.filter((u) => scope === undefined || u.id === scope),
    areas: Object.entries(CONTENT_AREAS).map(([key, name]) => ({ key, name })),
    states: PUBLICATION_STATES.map((key) => ({ key, name: STATE_LABELS[key] })),
  };
}

/** A local day typed in a form ("2026-12-07") as the UTC instant of its midnight in Vietnam, or undefined. */
function localDay(text: string | undefined, plusDays = 0): Date | undefined {
  const day = text ? DateTime.fromISO(text, { zone: LOCAL_ZONE }) : null;
  return day?.isValid ? day.startOf('day').plus({ days: plusDays }).toJSDate() : undefined;
}

/**
 * The desk's pages, as a plugin that shares the server's scope (fastify-plugin): its guard (below) covers every desk
 * page and the desk's not-found page, wherever they are declared, as long as they are registered after it.
 */
export const deskRoutes = fp(deskPages, { name: 'loa-desk' });

/**
 * The web desk: the officers' and supervisors' daily work as pages in Vietnamese, server-rendered, with no script
 * needed to read them (3G phones). Every officer-typed text is escaped by the views (see pages/render.ts).
 */
async function deskPages(
  app: FastifyInstance,
  { db, queues, adapters }: Pick<HttpDeps, 'db' | 'queues' | 'adapters'>,
): Promise<void> {
  app.get('/desk/static/desk.css', async (_req, res) =>
    res.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=86400').send(STYLESHEET),
  );
  app.get('/desk', async (_req, res) => res.redirect('/desk/lich'));

  // Every other desk page needs a signed-in person; the guard sends others to the sign-in form and back.
  app.addHook('preHandler', async (req, res) => {
    const url = req.url;
    if (!url.startsWith('/desk/') || url.startsWith('/desk/static/') || url.startsWith('/desk/dang-nhap')) return;
    if (!req.actor) return res.redirect(`/desk/dang-nhap?tiep=${encodeURIComponent(url)}`, 303);
  });

  app.get<{ Querystring: DeskQuery }>('/desk/lich', { schema: { querystring: queryShape } }, async (req, res) => {
    const q = req.query;
    const view = q.xem === 'tuan' ? 'week' : 'month';
    const anchor =
      chosen(q.ngay) ??
      DateTime.now()
        .setZone(LOCAL_ZONE)
        .toFormat(view === 'month' ? 'yyyy-LL' : 'yyyy-LL-dd');
    const period = periodOf(view, anchor);
    if (!period)
      return sendPage(
        res,
        'message',
        {
          page: 'lich',
          title: 'Ngày không hợp lệ',
          message: `"${anchor}" không phải một ngày (dùng dạng 2026-12 hoặc 2026-12-07).`,
        },
        400,
      );
    const filter = {
      channelId: chosen(q.kenh),
      areaKey: chosen(q.linhvuc),
      unitId: unitScope(req.actor!) ?? chosen(q.donvi),
    };
    const perDay = view === 'month' ? MONTH_LINES_PER_DAY : WEEK_LINES_PER_DAY;
    const viewName = view === 'week' ? 'tuan' : 'thang';
    const shownFilter = { kenh: filter.channelId ?? '', linhvuc: filter.areaKey ?? '', donvi: filter.unitId ?? '' };
    const inPeriod = { from: period.from, to: period.to, ...filter };
    const year = DateTime.fromJSDate(period.from).setZone(LOCAL_ZONE).year;
    // The grid, its counts and the plans' gaps say nothing of who asks: worked out once per period, filter and
    // version of the data (keptRead), however many officers open the same month.
    const [calendar, choices] = await Promise.all([
      keptRead(db, `calendar ${viewName} ${JSON.stringify(inPeriod)}`, async () => {
        const [days, covered, demands] = await Promise.all([
          listCalendarDays(db.kysely, inPeriod, perDay),
          calendarCoverage(db.kysely, inPeriod),
          planDemands(db.kysely, year),
        ]);
        const grid = fillGrid(
          period,
          days.entries,
          perDay,
          (e) => ({
            ...e,
            time: formatLocal(e.scheduledAt, 'HH:mm'),
            when: formatLongLocal(e.scheduledAt),
            stateLabel: STATE_LABELS[e.state],
            areaName: areaName(e.areaKey),
            // A taken-down post stays on the calendar, saying who took it down and why.
            withdrawn: e.withdrawnBy ? `gỡ bởi ${e.withdrawnBy}: ${e.withdrawalReason ?? ''}` : '',
          }),
          days.dayTotals,
        );
        return {
          table: renderView('calendar-table', {
            heading: period.title,
            view: viewName,
            weekdays: WEEKDAY_NAMES,
            grid,
            filter: shownFilter,
          }),
          total: days.total,
          gapAreas: demands.areaKeys.filter((k) => !covered.areaKeys.has(k)).map(areaName),
          gapPlatforms: demands.platforms.filter((p) => !covered.platforms.has(p)).map(platformName),
        };
      }),
      keptRead(db, `filter choices ${unitScope(req.actor!) ?? ''}`, () => filterChoices(db, req.actor!)),
    ]);
    return sendPage(res, 'calendar', {
      ...(await pageFrame(db, req)),
      page: 'lich',
      title: `Lịch đăng bài · ${period.title}`,
      heading: period.title,
      view: viewName,
      anchor,
      previous: period.previous,
      next: period.next,
      table: calendar.table,
      total: calendar.total,
      filter: shownFilter,
      choices,
      legend: PUBLICATION_STATES.map((key) => ({ key, name: STATE_LABELS[key] })),
      gapAreas: calendar.gapAreas,
      gapPlatforms: calendar.gapPlatforms,
      year,
    });
  });

  app.get<{ Querystring: DeskQuery }>('/desk/nhat-ky', { schema: { querystring: queryShape } }, async (req, res) => {
    const q = req.query;
    const state = chosen(q.trangthai) as PublicationState | undefined;
    const filter = {
      channelId: chosen(q.kenh),
      unitId: chosen(q.donvi),
      areaKey: chosen(q.linhvuc),
      states: state && PUBLICATION_STATES.includes(state) ? [state] : undefined,
      from: localDay(q.tu),
      to: localDay(q.den, 1),
    };
    const shown = {
      kenh: chosen(q.kenh) ?? '',
      linhvuc: chosen(q.linhvuc) ?? '',
      donvi: chosen(q.donvi) ?? '',
      trangthai: state ?? '',
      tu: chosen(q.tu) ?? '',
      den: chosen(q.den) ?? '',
    };
    // The page's lines say nothing of who asks beyond the unit they may see: read and rendered once per filter, page
    // and version of the data (keptRead).
    const log = keptRead(
      db,
      `log ${unitScope(req.actor!) ?? ''} ${JSON.stringify(filter)} ${q.trang ?? 1}`,
      async () => {
        const paging = pagingOf(
          await countLogFor(db.kysely, req.actor!, filter),
          q.trang,
          pageHref('/desk/nhat-ky', shown),
          LOG_LINES_PER_PAGE,
        );
        const entries = await readLogFor(db.kysely, req.actor!, filter, { newestFirst: true, ...paging });
        const rows = entries.map((e) => ({
          ...e,
          scheduled: formatLongLocal(e.scheduledAt),
          published: e.publishedAt ? formatLongLocal(e.publishedAt) : '',
          withdrawal: e.withdrawal
            ? { ...e.withdrawal, at: e.withdrawal.at ? formatLongLocal(e.withdrawal.at) : '' }
            : null,
          attemptAt: e.attemptStartedAt ? formatLocal(e.attemptStartedAt, 'dd/LL HH:mm:ss') : '',
          stateLabel: STATE_LABELS[e.state],
          ledger: {
            ...e.ledger,
            posts: e.ledger.posts.map((p) => ({
              ...p,
              kindLabel: p.kind === MAIN_POST ? 'Bài' : p.kind,
              stateLabel: PLATFORM_POST_STATE_LABELS[p.state],
              link: p.externalUrl && /^https?:\/\//i.test(p.externalUrl) ? p.externalUrl : '',
            })),
          },
          outcomeLabel: e.attemptOutcome ? ATTEMPT_LABELS[e.attemptOutcome] : '',
          platformName: platformName(e.platform),
          areaName: areaName(e.areaKey),
          // Only links Loa recorded from a platform, and only web ones: never a javascript: URL typed by someone.
          link: e.externalUrl && /^https?:\/\//i.test(e.externalUrl) ? e.externalUrl : '',
          // A script written to be heard (a station's) is read on the desk (its text, and its reading where a voice is
          // installed): its platform's adapter makes listening copies of what it published.
          script:
            e.state === 'published' && adapters[e.platform]?.audioPreview && e.externalId
              ? `/desk/kich-ban/${encodeURIComponent(e.publicationId)}`
              : '',
        }));
        return { paging, rows, table: rows.length ? renderView('log-table', { rows }) : '' };
      },
    );
    const [{ paging, rows, table }, choices] = await Promise.all([
      log,
      keptRead(db, `filter choices ${unitScope(req.actor!) ?? ''}`, () => filterChoices(db, req.actor!)),
    ]);
    return sendPage(res, 'log', {
      ...(await pageFrame(db, req)),
      page: 'nhat-ky',
      title: 'Nhật ký đăng bài',
      rows,
      table,
      paging,
      filter: shown,
      choices,
    });
  });

  app.get('/desk/suc-khoe', async (req, res) => {
    const now = new Date();
    const [workers, counts, late] = await Promise.all([
      queues.workerCount(PLATFORMS.names).catch(() => -1),
      db.kysely
        .selectFrom('publications')
        .select(['state', db.kysely.fn.countAll<number>().as('n')])
        .groupBy('state')
        .execute(),
      db.kysely
        .selectFrom('publications as p')
        .innerJoin('content_items as i', 'i.id', 'p.item_id')
        .select(['p.id', 'p.scheduled_at', 'p.state', 'p.reason', 'i.title'])
        .where('p.state', 'in', [...PENDING_STATES, 'failed', 'unconfirmed'])
        .where('p.scheduled_at', '<', new Date(now.getTime() - 60_000).toISOString())
        .orderBy('p.scheduled_at', 'desc')
        .limit(50)
        .execute(),
    ]);
    const byState = new Map(counts.map((c) => [c.state, Number(c.n)]));
    const most = Math.max(1, ...byState.values());
    return sendPage(res, 'health', {
      ...(await pageFrame(db, req)),
      page: 'suc-khoe',
      title: 'Tình trạng hệ thống',
      workers: Math.max(workers, 0),
      redis: workers >= 0,
      states: PUBLICATION_STATES.map((key) => ({
        key,
        name: STATE_LABELS[key],
        count: byState.get(key) ?? 0,
        percent: Math.round(((byState.get(key) ?? 0) / most) * 100),
      })),
      late: late.map((p) => ({
        id: p.id,
        title: p.title,
        when: formatLongLocal(p.scheduled_at),
        stateLabel: STATE_LABELS[p.state as PublicationState],
        state: p.state,
        reason: p.reason ?? '',
      })),
      checkedAt: formatLongLocal(now),
    });
  });
}
