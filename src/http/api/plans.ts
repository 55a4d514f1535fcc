import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { PLATFORMS } from '../../../channels';
import { applyCalendarAs, calendarPeriod } from '../../actions/plans';
import { requireRole } from '../../domain/access';
import { localToday } from '../../domain/clock';
import { proposeCalendar } from '../../importer';
import { getPlan, listPlans } from '../../store/plans';
import { actorOf, type ApiDeps, pushToQueue } from './deps';
import { idParam, itemDto, publicationDto, refusals, toItemDto, toPublicationDto } from './schemas';

const planSummary = z.object({
  id: z.number().int(),
  code: z.string().nullable(),
  title: z.string(),
  issuer: z.string().nullable(),
  year: z.number().int().nullable(),
  importedBy: z.string(),
});

/** Plans (province documents: every signed-in person reads them) and the calendar proposed from one. Import is POST /api/plans. */
export async function planListRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.db.kysely;
  const tags = ['kế hoạch'];

  api.get(
    '/plans',
    { schema: { summary: 'Các kế hoạch đã nhập', tags, response: { 200: z.array(planSummary), ...refusals } } },
    async () =>
      (await listPlans(db)).map((p) => ({
        id: p.id,
        code: p.code,
        title: p.title,
        issuer: p.issuer,
        year: p.year,
        importedBy: p.importedBy,
      })),
  );

  api.get(
    '/plans/:id',
    {
      schema: {
        summary: 'Một kế hoạch và những gì Loa đọc được',
        tags,
        params: idParam,
        response: { 200: planSummary.extend({ structure: z.unknown() }), ...refusals },
      },
    },
    async (req) => {
      const p = await getPlan(db, req.params.id);
      return {
        id: p.id,
        code: p.code,
        title: p.title,
        issuer: p.issuer,
        year: p.year,
        importedBy: p.importedBy,
        structure: p.structure,
      };
    },
  );

  api.post(
    '/plans/:id/calendar',
    {
      schema: {
        summary: 'Đề xuất lịch nội dung; apply: lưu bản nháp và lịch đăng cho đơn vị',
        tags,
        params: idParam,
        body: z.object({
          from: z.string().max(20),
          to: z.string().max(20),
          unit: z.string().max(128).optional(),
          apply: z.boolean().default(false),
        }),
        response: {
          200: z.object({
            proposal: z.unknown(),
            applied: z
              .object({
                items: z.array(itemDto),
                publications: z.array(publicationDto),
                missingPlatforms: z.array(z.string()),
              })
              .nullable(),
          }),
          ...refusals,
        },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      requireRole(actor, 'officer', 'xem lịch đề xuất');
      const plan = await getPlan(db, req.params.id);
      const proposal = proposeCalendar(plan.structure, {
        ...calendarPeriod(req.body.from, req.body.to, 'from', 'to'),
        platforms: PLATFORMS,
        today: localToday(deps.clock),
      });
      if (!req.body.apply) return { proposal, applied: null };
      const unit = req.body.unit ?? actor.unitId ?? deps.config.defaultUnit;
      const applied = await applyCalendarAs(db, actor, plan.id, proposal, unit);
      await pushToQueue(deps, req.log);
      return {
        proposal,
        applied: {
          items: applied.items.map(toItemDto),
          publications: applied.publications.map(toPublicationDto),
          missingPlatforms: applied.missingPlatforms,
        },
      };
    },
  );
}
