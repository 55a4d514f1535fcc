import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import {
  cancelAs,
  countLogFor,
  logPeriod,
  parseSpacing,
  queueAs,
  readLogFor,
  retryAs,
  unitFilter,
} from '../../actions/publications';
import { unitScope } from '../../domain/access';
import { parseStates, PUBLICATION_STATES } from '../../domain/publication';
import { parseLocal } from '../../domain/time';
import { keptRead } from '../pages/kept-reads';
import { actorOf, type ApiDeps, pushToQueue } from './deps';
import { publicationDto, refusals, textIdParam, toPublicationDto, withdrawalDto } from './schemas';

const logEntry = z.object({
  publicationId: z.string(),
  channelId: z.string(),
  platform: z.string(),
  unitId: z.string(),
  itemId: z.number().int(),
  title: z.string(),
  areaKey: z.string(),
  state: z.enum(PUBLICATION_STATES),
  scheduledAt: z.string(),
  publishedAt: z.string().nullable(),
  externalId: z.string().nullable(),
  externalUrl: z.string().nullable(),
  reason: z.string().nullable(),
  queuedBy: z.string(),
  approvedBy: z.string().nullable(),
  editedBy: z.string().nullable(),
  attemptNo: z.number().int().nullable(),
  worker: z.string().nullable(),
  attemptStartedAt: z.string().nullable(),
  attemptFinishedAt: z.string().nullable(),
  attemptOutcome: z.string().nullable(),
  attemptError: z.string().nullable(),
  // The same shape as a publication's: { by, at, reason } or null.
  withdrawal: withdrawalDto,
  // The ledger: what exists on the platform for this publication, follow-ups, what to remove by hand.
  ledger: z.object({
    posts: z.array(
      z.object({
        kind: z.string(),
        externalId: z.string(),
        externalUrl: z.string().nullable(),
        state: z.enum(['live', 'remove-by-hand', 'removed']),
        stateReason: z.string().nullable(),
        recordedAt: z.string(),
      }),
    ),
    followUpsDone: z.array(z.string()),
    followUpPending: z.boolean(),
    removeByHand: z.array(z.string()),
  }),
});

/** Queueing, cancel, retry and the publish log: the same actions as `loa queue|cancel|retry|log`. */
export async function publicationRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.db.kysely;
  const tags = ['đăng bài'];

  api.post(
    '/queue',
    {
      schema: {
        summary: 'Lên lịch đăng nội dung lên các kênh; kênh không nhận được nội dung thì bị từ chối ngay, kèm lý do',
        tags,
        body: z.object({
          items: z.array(z.number().int().positive()).min(1).max(500),
          channels: z.array(z.string().min(1).max(100)).min(1).max(50),
          at: z.string().min(1).max(40).describe('giờ Việt Nam "25/12/2026 08:30", ISO có múi giờ, hoặc +10m'),
          spacing: z.string().max(10).default('0s').describe('các nội dung sau cách nhau: 30s, 5m, 2h, 1d'),
        }),
        response: {
          201: z.object({
            created: z.array(publicationDto),
            existing: z.array(z.string()),
            unapproved: z.array(z.number().int()),
          }),
          ...refusals,
        },
      },
    },
    async (req, res) => {
      const result = await queueAs(db, actorOf(req), deps.adapters, {
        itemIds: req.body.items,
        channelIds: req.body.channels,
        start: parseLocal(req.body.at, 'at'),
        spacingMs: parseSpacing(req.body.spacing, 'spacing'),
      });
      await pushToQueue(deps, req.log);
      return res.code(201).send({
        created: result.created.map(toPublicationDto),
        existing: result.existing,
        unapproved: result.unapproved,
      });
    },
  );

  api.post(
    '/publications/:id/cancel',
    {
      schema: {
        summary: 'Hủy một bài đăng chưa đăng',
        tags,
        params: textIdParam,
        body: z.object({ reason: z.string().max(2000).optional() }).default({}),
        response: { 200: publicationDto, ...refusals },
      },
    },
    async (req) => toPublicationDto(await cancelAs(db, actorOf(req), req.params.id, req.body.reason)),
  );

  api.post(
    '/publications/:id/retry',
    {
      schema: {
        summary: 'Đăng lại bài thất bại hoặc chưa rõ kết quả',
        tags,
        params: textIdParam,
        response: { 200: publicationDto, ...refusals },
      },
    },
    async (req) => {
      const moved = await retryAs(db, actorOf(req), req.params.id);
      await pushToQueue(deps, req.log);
      return toPublicationDto(moved);
    },
  );

  api.get(
    '/log',
    {
      schema: {
        summary: 'Nhật ký đăng bài, cùng bộ lọc như loa log',
        tags,
        querystring: z.object({
          channel: z.string().max(100).optional(),
          unit: z.string().max(128).optional(),
          from: z.string().max(40).optional(),
          to: z.string().max(40).optional(),
          state: z
            .string()
            .max(200)
            .optional()
            .describe(`các trạng thái, cách nhau bằng dấu phẩy: ${PUBLICATION_STATES.join(', ')}`),
          limit: z.coerce
            .number()
            .int()
            .min(1)
            .max(1000)
            .default(50)
            .describe('số dòng một trang (mặc định 50 như trang nhật ký; tối đa 1000)'),
          offset: z.coerce.number().int().min(0).max(10_000_000).default(0).describe('bỏ qua bao nhiêu dòng đầu'),
        }),
        response: { 200: z.array(logEntry), ...refusals },
      },
    },
    async (req, res) => {
      const q = req.query;
      const states = q.state ? parseStates(q.state, 'state') : undefined;
      const actor = actorOf(req);
      const filter = {
        channelId: q.channel,
        unitId: await unitFilter(db, q.unit, 'unit'),
        ...logPeriod(q.from, q.to, 'from', 'to'),
        states,
      };
      // Newest scheduled first, a page at a time: the whole log of a province is megabytes. The count and the
      // next page's address travel in headers, so the body stays the list it always was.
      // Read once per unit, filter, window and version of the data however many ask (keptRead).
      const window = { newestFirst: true, limit: q.limit, offset: q.offset };
      const [total, rows] = await keptRead(
        deps.db,
        `api log ${unitScope(actor) ?? ''} ${JSON.stringify({ filter, window })}`,
        () => Promise.all([countLogFor(db, actor, filter), readLogFor(db, actor, filter, window)]),
      );
      res.header('x-total-count', String(total));
      if (q.offset + rows.length < total) {
        const next = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]));
        next.set('offset', String(q.offset + q.limit));
        res.header('link', `</api/log?${next.toString()}>; rel="next"`);
      }
      return rows;
    },
  );
}
