import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { PLATFORMS } from '../../../channels';
import { pauseAs, pauseStatusFor, resumeAs } from '../../actions/pause';
import { countAuditFor, readAuditFor } from '../../actions/plans';
import { parseLocal } from '../../domain/time';
import { actorOf, type ApiDeps, pushToQueue } from './deps';
import { refusals } from './schemas';

const pauseDto = z.object({
  id: z.number().int(),
  unitId: z.string().nullable(),
  reason: z.string(),
  pausedBy: z.string(),
  pausedAt: z.string(),
});
const pauseStatus = pauseDto.extend({ held: z.array(z.string()).describe('bài đã đến giờ, đang chờ vì tạm dừng') });

/** The audit trail, the emergency pause and health: what supervisors and admins watch. */
export async function oversightRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.db.kysely;

  api.get(
    '/audit',
    {
      schema: {
        summary: 'Nhật ký thao tác (lãnh đạo: của đơn vị mình; quản trị: tất cả), mới nhất trước',
        tags: ['giám sát'],
        querystring: z.object({
          unit: z.string().max(128).optional(),
          action: z.string().max(64).optional(),
          from: z.string().max(40).optional(),
          to: z.string().max(40).optional(),
          limit: z.coerce
            .number()
            .int()
            .min(1)
            .max(5000)
            .default(50)
            .describe('số mục một trang (mặc định 50 như nhật ký đăng; tối đa 5000)'),
          offset: z.coerce.number().int().min(0).max(10_000_000).default(0).describe('bỏ qua bao nhiêu mục mới nhất'),
        }),
        response: {
          200: z.array(
            z.object({
              id: z.number().int(),
              at: z.string(),
              actor: z.string(),
              source: z.enum(['CLI', 'API', 'browser']),
              unitId: z.string().nullable(),
              action: z.string(),
              subject: z.string(),
              detail: z.record(z.string(), z.unknown()).nullable(),
            }),
          ),
          ...refusals,
        },
      },
    },
    async (req, res) => {
      const q = req.query;
      const filter = {
        unitId: q.unit,
        action: q.action,
        from: q.from ? parseLocal(q.from, 'from') : undefined,
        to: q.to ? parseLocal(q.to, 'to') : undefined,
      };
      const actor = actorOf(req);
      const [entries, total] = await Promise.all([
        readAuditFor(db, actor, { ...filter, limit: q.limit, offset: q.offset }),
        countAuditFor(db, actor, filter),
      ]);
      // The count and the next page's address travel in headers, so the body stays the list it always was.
      res.header('x-total-count', String(total));
      if (q.offset + entries.length < total) {
        const next = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]));
        next.set('offset', String(q.offset + q.limit));
        res.header('link', `</api/audit?${next.toString()}>; rel="next"`);
      }
      return entries.map((e) => ({ ...e, at: e.at.toISOString() }));
    },
  );

  api.get(
    '/pause',
    {
      schema: {
        summary: 'Các tạm dừng đang có và bài đang chờ',
        tags: ['giám sát'],
        response: { 200: z.array(pauseStatus), ...refusals },
      },
    },
    async (req) => (await pauseStatusFor(db, actorOf(req))).map((p) => ({ ...p, pausedAt: p.pausedAt.toISOString() })),
  );

  api.post(
    '/pause',
    {
      schema: {
        summary: 'Tạm dừng khẩn cấp: quản trị toàn tỉnh (không ghi unit) hoặc một đơn vị; lãnh đạo: đơn vị mình',
        tags: ['giám sát'],
        body: z.object({ unit: z.string().max(128).optional(), reason: z.string().max(2000) }),
        response: { 201: pauseDto, ...refusals },
      },
    },
    async (req, res) => {
      const pause = await pauseAs(db, actorOf(req), req.body.unit, req.body.reason);
      return res.code(201).send({ ...pause, pausedAt: pause.pausedAt.toISOString() });
    },
  );

  api.post(
    '/pause/resume',
    {
      schema: {
        summary: 'Tiếp tục đăng: bài còn muốn đăng được đăng ngay, bài ghi ở drop bị bỏ',
        tags: ['giám sát'],
        body: z.object({
          unit: z.string().max(128).optional(),
          drop: z.array(z.string().max(200)).max(1000).default([]),
        }),
        response: { 200: z.object({ pause: pauseDto, dropped: z.array(z.string()) }), ...refusals },
      },
    },
    async (req) => {
      const { pause, dropped } = await resumeAs(db, actorOf(req), req.body.unit, req.body.drop);
      await pushToQueue(deps, req.log);
      return { pause: { ...pause, pausedAt: pause.pausedAt.toISOString() }, dropped };
    },
  );

  api.get(
    '/health',
    {
      schema: {
        summary: 'Cơ sở dữ liệu, Redis, số tiến trình đăng bài đang chạy, tạm dừng',
        tags: ['giám sát'],
        response: {
          200: z.object({
            ok: z.boolean(),
            database: z.boolean(),
            redis: z.boolean(),
            workers: z.number().int(),
            paused: z.array(pauseStatus),
          }),
          ...refusals,
        },
      },
    },
    async (req) => {
      const database = await db
        .selectFrom('content_areas')
        .select('key')
        .limit(1)
        .execute()
        .then(
          () => true,
          () => false,
        );
      const workers = await deps.queues.workerCount(PLATFORMS.names).catch(() => -1);
      const paused = database
        ? (await pauseStatusFor(db, actorOf(req))).map((p) => ({ ...p, pausedAt: p.pausedAt.toISOString() }))
        : [];
      return { ok: database && workers > 0, database, redis: workers >= 0, workers: Math.max(workers, 0), paused };
    },
  );
}
