import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { DateTime } from 'luxon';
import { z } from 'zod';

import { countAuditFor, readAuditFor } from '../../actions/plans';
import { atLeast, unitScope } from '../../domain/access';
import { AUDIT_ACTION_LABELS, AUDIT_SOURCE_LABELS, auditActionLabel } from '../../domain/audit';
import { SOURCE_STATE_LABELS } from '../../domain/source';
import { formatLongLocal, LOCAL_ZONE } from '../../domain/time';
import { countSources, pageSources } from '../../store/sources';
import { listUnits } from '../../store/units';
import type { HttpDeps } from '../deps';
import { pageNumber, text } from '../forms';
import { keptRead } from '../pages/kept-reads';
import { pageHref, pagingOf } from '../pages/paging';
import { pageFrame, sendPage } from '../pages/render';

/** Lines of the audit trail on one page, as the publish log. */
const AUDIT_LINES_PER_PAGE = 50;

/** The trail's filters, as the address carries them: each named as its form shows it. */
const auditQuery = z.object({
  thaotac: text('Thao tác', 100),
  donvi: text('Đơn vị', 100),
  tu: text('Từ ngày', 100),
  den: text('Đến ngày', 100),
  trang: pageNumber,
});

/** A filter's value from a form: an empty select means "all". */
const chosen = (value: string | undefined) => (value && value.trim() !== '' ? value.trim() : undefined);

/** A local day typed in a form ("2026-12-07") as the UTC instant of its midnight in Vietnam, or undefined. */
function localDay(day: string | undefined, plusDays = 0): Date | undefined {
  const parsed = day ? DateTime.fromISO(day, { zone: LOCAL_ZONE }) : null;
  return parsed?.isValid ? parsed.startOf('day').plus({ days: plusDays }).toJSDate() : undefined;
}

/** One value of an entry's detail as a line a person reads (the detail is what the action recorded, as it was). */
function detailText(detail: Record<string, unknown> | null): string {
  if (!detail) return '';
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
}

/**
 * What supervisors and admins watch besides the publish log: the audit trail (who did what, from where, when) and the
 * feed sources Loa reads drafts from, each a paged list with its count, as every desk list.
 */
export async function deskOversightRoutes(app: FastifyInstance, { db }: Pick<HttpDeps, 'db'>): Promise<void> {
  const desk = app.withTypeProvider<ZodTypeProvider>();
  desk.get('/desk/thao-tac', { schema: { querystring: auditQuery } }, async (req, res) => {
    const actor = req.actor!;
    const q = req.query;
    const filter = {
      action: chosen(q.thaotac),
      unitId: chosen(q.donvi),
      from: localDay(q.tu),
      to: localDay(q.den, 1),
    };
    const shown = {
      thaotac: filter.action ?? '',
      donvi: filter.unitId ?? '',
      tu: chosen(q.tu) ?? '',
      den: chosen(q.den) ?? '',
    };
    if (!atLeast(actor, 'supervisor'))
      return sendPage(
        res,
        'message',
        {
          ...(await pageFrame(db, req)),
          page: 'thao-tac',
          title: 'Không xem được nhật ký thao tác',
          message: 'Nhật ký thao tác dành cho lãnh đạo duyệt bài và quản trị; cán bộ không xem được trang này.',
        },
        403,
      );
    const scope = unitScope(actor);
    // The lines say nothing of who asks but the unit: read once per unit, filter, page and version (keptRead).
    const { paging, rows, units } = await keptRead(
      db,
      `audit ${scope ?? ''} ${JSON.stringify(filter)} ${q.trang ?? 1}`,
      async () => {
        const total = await countAuditFor(db.kysely, actor, filter);
        const paging = pagingOf(total, q.trang, pageHref('/desk/thao-tac', shown), AUDIT_LINES_PER_PAGE);
        const [entries, units] = await Promise.all([
          readAuditFor(db.kysely, actor, { ...filter, limit: paging.limit, offset: paging.offset }),
          listUnits(db.kysely),
        ]);
        const unitName = new Map(units.map((u) => [u.id, u.name]));
        const rows = entries.map((e) => ({
          at: formatLongLocal(e.at),
          actor: e.actor,
          source: AUDIT_SOURCE_LABELS[e.source] ?? e.source,
          unit: e.unitId ? (unitName.get(e.unitId) ?? e.unitId) : 'cả tỉnh',
          action: auditActionLabel(e.action),
          code: e.action,
          subject: e.subject,
          detail: detailText(e.detail),
        }));
        return { paging, rows, units };
      },
    );
    return sendPage(res, 'audit', {
      ...(await pageFrame(db, req)),
      page: 'thao-tac',
      title: 'Nhật ký thao tác',
      rows,
      paging,
      filter: shown,
      choices: {
        actions: Object.entries(AUDIT_ACTION_LABELS).map(([key, name]) => ({ key, name })),
        units: units.filter((u) => scope === undefined || u.id === scope),
      },
    });
  });

  desk.get('/desk/nguon-tin', { schema: { querystring: z.object({ trang: pageNumber }) } }, async (req, res) => {
    const scope = unitScope(req.actor!);
    const paging = pagingOf(await countSources(db.kysely, scope), req.query.trang, pageHref('/desk/nguon-tin', {}));
    const [sources, units] = await Promise.all([
      pageSources(db.kysely, { unitId: scope, limit: paging.limit, offset: paging.offset }),
      listUnits(db.kysely),
    ]);
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    const when = (at: Date | null) => (at ? formatLongLocal(at) : '');
    return sendPage(res, 'sources', {
      ...(await pageFrame(db, req)),
      page: 'nguon-tin',
      title: 'Nguồn tin',
      rows: sources.map((s) => ({
        id: s.id,
        url: s.url,
        // Only web addresses become links: a source's address was typed by someone.
        link: /^https?:\/\//i.test(s.url) ? s.url : '',
        title: s.title ?? '',
        unit: unitName.get(s.unitId) ?? s.unitId,
        planId: s.planId,
        every: s.everyMinutes,
        state: s.state,
        stateLabel: SOURCE_STATE_LABELS[s.state],
        status: s.status,
        failures: s.failures,
        polled: when(s.polledAt),
        succeeded: when(s.succeededAt),
        next: when(s.nextPollAfter),
      })),
      paging,
    });
  });
}
