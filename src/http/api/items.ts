import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import {
  addItemsAs,
  approveAs,
  editItemAs,
  importItemsAs,
  itemFor,
  listItemsFor,
  rejectAs,
  withdrawAs,
} from '../../actions/items';
import { parseItemsText, rowName } from '../../actions/items-file';
import { contentItemInput, contentItemPatch, parseInput } from '../../domain/content-item';
import { ValidationError } from '../../domain/errors';
import { actorOf, type ApiDeps, pushToQueue } from './deps';
import { idParam, itemDto, publicationDto, refusals, toItemDto, toPublicationDto } from './schemas';

/** Content items: list, read, write, import, approve, reject: the same actions as `loa items` and `loa approve`. */
export async function itemRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.db.kysely;
  const tags = ['nội dung'];

  api.get(
    '/items',
    {
      schema: {
        summary: 'Danh sách nội dung (của đơn vị mình; quản trị: mọi đơn vị)',
        tags,
        querystring: z.object({
          plan: z.coerce.number().int().positive().optional(),
          unit: z.string().max(128).optional(),
          approved: z.enum(['true', 'false']).optional(),
        }),
        response: { 200: z.array(itemDto), ...refusals },
      },
    },
    async (req) => {
      const { plan, unit, approved } = req.query;
      const items = await listItemsFor(db, actorOf(req), {
        planId: plan,
        unitId: unit,
        approved: approved === undefined ? undefined : approved === 'true',
      });
      return items.map(toItemDto);
    },
  );

  api.get(
    '/items/:id',
    { schema: { summary: 'Một nội dung', tags, params: idParam, response: { 200: itemDto, ...refusals } } },
    async (req) => toItemDto(await itemFor(db, actorOf(req), req.params.id)),
  );

  api.post(
    '/items',
    {
      schema: {
        summary: 'Viết một nội dung (chưa duyệt)',
        tags,
        body: contentItemInput,
        response: { 201: itemDto, ...refusals },
      },
    },
    async (req, res) => {
      const [item] = await addItemsAs(db, actorOf(req), [req.body]);
      return res.code(201).send(toItemDto(item!));
    },
  );

  api.patch(
    '/items/:id',
    {
      schema: {
        summary: 'Sửa một nội dung (bỏ duyệt cũ: cần duyệt lại)',
        tags,
        params: idParam,
        body: contentItemPatch,
        response: { 200: itemDto, ...refusals },
      },
    },
    async (req) => {
      if (Object.keys(req.body).length === 0)
        throw new ValidationError('body', 'không có gì để sửa: gửi ít nhất một trường như title, body, link…');
      return toItemDto(await editItemAs(db, actorOf(req), req.params.id, req.body));
    },
  );

  api.post(
    '/items/import',
    {
      schema: {
        summary:
          'Thêm nhiều nội dung từ nội dung một tệp CSV hoặc JSON; lỗi một dòng thì không thêm dòng nào; dòng đã nhập trước đó không thêm lại (200 khi không có gì mới)',
        tags,
        body: z.object({ format: z.enum(['csv', 'json']), content: z.string().min(1).max(5_000_000) }),
        response: { 201: z.array(itemDto), 200: z.array(itemDto), ...refusals },
      },
    },
    async (req, res) => {
      const where = rowName(req.body.format);
      const rows = parseItemsText(req.body.content, req.body.format, 'tệp');
      const inputs = rows.map((row, i) => parseInput(contentItemInput, row, where(i)));
      const { created } = await importItemsAs(db, actorOf(req), inputs, where);
      return res.code(created.length ? 201 : 200).send(created.map(toItemDto));
    },
  );

  api.post(
    '/items/:id/approve',
    {
      schema: {
        summary: 'Duyệt (lãnh đạo của đơn vị, không phải người viết); requeue: đăng lại các lượt đã quá hạn',
        tags,
        params: idParam,
        body: z.object({ requeue: z.boolean().default(false) }).default({ requeue: false }),
        response: {
          200: z.object({ item: itemDto, requeued: z.array(z.string()), expired: z.array(z.string()) }),
          ...refusals,
        },
      },
    },
    async (req) => {
      const result = await approveAs(db, actorOf(req), req.params.id, { requeue: req.body.requeue });
      if (result.requeued.length) await pushToQueue(deps, req.log);
      return { item: toItemDto(result.item), requeued: result.requeued, expired: result.expired };
    },
  );

  api.post(
    '/items/:id/reject',
    {
      schema: {
        summary: 'Trả lại cho người viết, kèm lý do',
        tags,
        params: idParam,
        body: z.object({ reason: z.string().max(2000) }),
        response: { 200: itemDto, ...refusals },
      },
    },
    async (req) => toItemDto(await rejectAs(db, actorOf(req), req.params.id, req.body.reason)),
  );

  api.post(
    '/items/:id/withdraw',
    {
      schema: {
        summary:
          'Rút một nội dung: hủy các lượt chưa đăng, gỡ bài đã đăng khỏi nguồn tin (giữ trong nhật ký, kèm người rút và lý do)',
        tags,
        params: idParam,
        body: z.object({ reason: z.string().max(2000) }),
        response: {
          200: z.object({
            item: itemDto,
            cancelled: z.array(publicationDto),
            withdrawn: z.array(publicationDto),
            inFlight: z.array(publicationDto),
            removeByHand: z
              .array(
                z.object({
                  publicationId: z.string(),
                  channelId: z.string(),
                  channelName: z.string(),
                  externalUrl: z.string().nullable(),
                  reason: z.string(),
                }),
              )
              .describe(
                'bài đã rút nhưng còn nơi đã đăng (nền tảng bên ngoài, kịch bản Loa không xoá được): cần người gỡ bằng tay, lý do ghi cần gỡ gì ở đâu',
              ),
          }),
          ...refusals,
        },
      },
    },
    async (req) => {
      const result = await withdrawAs(db, actorOf(req), deps.adapters, req.params.id, req.body.reason);
      return {
        item: toItemDto(result.item),
        cancelled: result.cancelled.map(toPublicationDto),
        withdrawn: result.withdrawn.map(toPublicationDto),
        inFlight: result.inFlight.map(toPublicationDto),
        removeByHand: result.removeByHand.map((l) => ({
          publicationId: l.publication.id,
          channelId: l.publication.channelId,
          channelName: l.channelName,
          externalUrl: l.publication.externalUrl,
          reason: l.reason,
        })),
      };
    },
  );
}
