import { z } from 'zod';

import { ROLES } from '../../domain/access';
import type { ContentItem } from '../../domain/content-item';
import { type Publication, PUBLICATION_STATES } from '../../domain/publication';
import type { User } from '../../store/users';

/**
 * The API's schemas: each route declares its request and response with these (zod), the type provider validates
 * with them and @fastify/swagger turns them into /api/openapi.json. Zod's own messages are Vietnamese, and a
 * missing field says so plainly.
 */
z.config({
  ...z.locales.vi(),
  customError: (issue) =>
    issue.code === 'invalid_type' && issue.input === undefined ? 'thiếu, bắt buộc phải có' : undefined,
});

export const errorBody = z
  .object({ error: z.object({ field: z.string().optional(), message: z.string() }) })
  .describe('Lỗi: trường nào và vì sao (tiếng Việt)');

/** The refusals every signed-in route may answer, so the OpenAPI document lists them too. */
export const refusals = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

const when = z.string().describe('thời điểm ISO 8601 UTC');

/** A post or item taken back (loa items withdraw): who, when and why; null when it was not. One shape wherever it is shown. */
export const withdrawalDto = z.object({ by: z.string(), at: when, reason: z.string() }).nullable();

export const userDto = z.object({
  id: z.number().int(),
  name: z.string(),
  unitId: z.string().nullable(),
  role: z.enum(ROLES),
  disabled: z.boolean(),
});
export function toUserDto(u: User): z.infer<typeof userDto> {
  return { id: u.id, name: u.name, unitId: u.unitId, role: u.role, disabled: u.disabled };
}

export const itemDto = z.object({
  id: z.number().int(),
  planId: z.number().int(),
  areaKey: z.string(),
  unitId: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  image: z.string().nullable(),
  priority: z.string(),
  author: z.string(),
  approvedBy: z.string().nullable(),
  approvedAt: when.nullable(),
  rejection: z.object({ by: z.string(), at: when, reason: z.string() }).nullable(),
  withdrawal: withdrawalDto,
  editedBy: z.string().nullable(),
  createdAt: when,
  updatedAt: when,
});
export function toItemDto(i: ContentItem): z.infer<typeof itemDto> {
  return {
    id: i.id,
    planId: i.planId,
    areaKey: i.areaKey,
    unitId: i.unitId,
    title: i.title,
    body: i.body,
    link: i.link,
    image: i.image,
    priority: i.priority,
    author: i.author,
    approvedBy: i.approvedBy,
    approvedAt: i.approvedAt?.toISOString() ?? null,
    rejection: i.rejection
      ? { by: i.rejection.by, at: i.rejection.at.toISOString(), reason: i.rejection.reason }
      : null,
    withdrawal: i.withdrawal
      ? { by: i.withdrawal.by, at: i.withdrawal.at.toISOString(), reason: i.withdrawal.reason }
      : null,
    editedBy: i.editedBy ?? null,
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
  };
}

export const publicationDto = z.object({
  id: z.string(),
  itemId: z.number().int(),
  channelId: z.string(),
  scheduledAt: when,
  state: z.enum(PUBLICATION_STATES),
  reason: z.string().nullable(),
  externalUrl: z.string().nullable(),
  attempts: z.number().int(),
  queuedBy: z.string(),
  publishedAt: when.nullable(),
  withdrawal: withdrawalDto,
});
export function toPublicationDto(p: Publication): z.infer<typeof publicationDto> {
  return {
    id: p.id,
    itemId: p.itemId,
    channelId: p.channelId,
    scheduledAt: p.scheduledAt.toISOString(),
    state: p.state,
    reason: p.reason,
    externalUrl: p.externalUrl,
    attempts: p.attempts,
    queuedBy: p.queuedBy,
    publishedAt: p.publishedAt?.toISOString() ?? null,
    withdrawal: p.withdrawal
      ? { by: p.withdrawal.by, at: p.withdrawal.at.toISOString(), reason: p.withdrawal.reason }
      : null,
  };
}

export const idParam = z.object({
  id: z.coerce.number({ error: 'id phải là số' }).int().positive('id phải là số dương'),
});
export const textIdParam = z.object({ id: z.string().min(1).max(200) });
export const ok = z.object({ ok: z.literal(true) });
