import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { PLATFORMS } from '../../../channels';
import {
  addUnitAs,
  addUserAs,
  createTokenAs,
  disableUserAs,
  listChannelsFor,
  listUnitsFor,
  listUsersFor,
  saveChannelWithSecretAs,
  setPasswordAs,
} from '../../actions/admin';
import { ROLES } from '../../domain/access';
import { recordAudit } from '../../store/audit';
import { listTokens, revokeToken } from '../../store/credentials';
import { SESSION_COOKIE } from '../auth';
import { actorOf, type ApiDeps } from './deps';
import { idParam, ok, refusals, toUserDto, userDto } from './schemas';

/** The registry's platforms (channels/), listed in the API's description. */
const platformEnum = z.enum(PLATFORMS.names as [string, ...string[]]);
const unitDto = z.object({ id: z.string(), name: z.string() });
const channelDto = z.object({
  id: z.string(),
  unitId: z.string(),
  platform: platformEnum,
  name: z.string(),
  settings: z.record(z.string(), z.unknown()),
});
const nameParam = z.object({ name: z.string().min(1).max(128) });

/**
 * Units, channels, users and the caller's own API tokens. Channel secrets are never part of a channel: Loa
 * reads them from the environment (see README), so no route can return one.
 */
export async function adminRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.db.kysely;

  api.get(
    '/units',
    {
      schema: {
        summary: 'Các đơn vị (của mình; quản trị: mọi đơn vị)',
        tags: ['đơn vị'],
        response: { 200: z.array(unitDto), ...refusals },
      },
    },
    async (req) => listUnitsFor(db, actorOf(req)),
  );
  api.post(
    '/units',
    {
      schema: {
        summary: 'Thêm đơn vị (quản trị)',
        tags: ['đơn vị'],
        body: z.object({ name: z.string().min(1).max(200) }),
        response: { 201: unitDto, ...refusals },
      },
    },
    async (req, res) => res.code(201).send(await addUnitAs(db, actorOf(req), req.body.name)),
  );

  api.get(
    '/channels',
    {
      schema: {
        summary: 'Các kênh đăng (của đơn vị mình; quản trị: mọi kênh)',
        tags: ['kênh'],
        response: { 200: z.array(channelDto), ...refusals },
      },
    },
    async (req) => listChannelsFor(db, actorOf(req)),
  );
  api.put(
    '/channels/:id',
    {
      schema: {
        summary: 'Thêm hoặc sửa một kênh (quản trị); cài đặt được kênh kiểm tra',
        tags: ['kênh'],
        params: z.object({
          id: z
            .string()
            .min(1, 'mã kênh không được để trống')
            .max(100, 'mã kênh dài quá 100 ký tự')
            .regex(/^[a-z0-9-]+$/, 'mã kênh chỉ gồm chữ thường không dấu, số và dấu -'),
        }),
        body: z.object({
          unit: z.string().min(1).max(128),
          platform: platformEnum,
          name: z.string().min(1).max(200),
          settings: z.record(z.string(), z.unknown()).default({}),
        }),
        response: { 200: channelDto, ...refusals },
      },
    },
    // The same save as the CLI and the desk; secrets never travel in this JSON (write-only paths: CLI stdin, desk form).
    async (req) =>
      (await saveChannelWithSecretAs(db, actorOf(req), deps.adapters, { id: req.params.id, ...req.body })).channel,
  );

  api.get(
    '/users',
    {
      schema: {
        summary: 'Tài khoản (lãnh đạo: của đơn vị mình; quản trị: tất cả)',
        tags: ['tài khoản'],
        response: { 200: z.array(userDto), ...refusals },
      },
    },
    async (req) => (await listUsersFor(db, actorOf(req))).map(toUserDto),
  );
  api.post(
    '/users',
    {
      schema: {
        summary: 'Thêm tài khoản (quản trị)',
        tags: ['tài khoản'],
        body: z.object({
          name: z.string().min(1).max(128),
          unit: z.string().max(128).nullable().default(null),
          role: z.enum(ROLES),
          password: z.string().max(256),
        }),
        response: { 201: userDto, ...refusals },
      },
    },
    async (req, res) => res.code(201).send(toUserDto(await addUserAs(db, actorOf(req), req.body))),
  );
  api.put(
    '/users/:name/password',
    {
      schema: {
        summary: 'Đặt mật khẩu (của mình; quản trị: của bất kỳ ai)',
        tags: ['tài khoản'],
        params: nameParam,
        body: z.object({ password: z.string().max(256), current: z.string().max(256).optional() }),
        response: { 200: ok, ...refusals },
      },
    },
    async (req) => {
      await setPasswordAs(
        db,
        actorOf(req),
        req.params.name,
        req.body.password,
        {
          sessionId: req.cookies[SESSION_COOKIE] ?? null,
          token: /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null,
        },
        req.body.current,
      );
      return { ok: true as const };
    },
  );
  api.post(
    '/users/:name/disable',
    {
      schema: {
        summary: 'Khóa tài khoản (quản trị): phiên và mã truy cập hết hiệu lực ngay',
        tags: ['tài khoản'],
        params: nameParam,
        response: { 200: ok, ...refusals },
      },
    },
    async (req) => {
      await disableUserAs(db, actorOf(req), req.params.name);
      return { ok: true as const };
    },
  );

  const tokenDto = z.object({
    id: z.number().int(),
    label: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revoked: z.boolean(),
  });
  api.get(
    '/tokens',
    {
      schema: {
        summary: 'Mã truy cập API của mình',
        tags: ['tài khoản'],
        response: { 200: z.array(tokenDto), ...refusals },
      },
    },
    async (req) =>
      (await listTokens(db, req.user!.id)).map((t) => ({
        ...t,
        createdAt: t.createdAt.toISOString(),
        lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
      })),
  );
  api.post(
    '/tokens',
    {
      schema: {
        summary: 'Tạo mã truy cập API cho mình; mã chỉ trả về một lần',
        tags: ['tài khoản'],
        // Only a bound here: the label's own check (not empty, no control characters) is createTokenAs's, in words.
        body: z.object({ label: z.string().max(1000) }),
        response: { 201: z.object({ id: z.number().int(), token: z.string() }), ...refusals },
      },
    },
    async (req, res) => {
      const actor = actorOf(req);
      return res.code(201).send(await createTokenAs(db, actor, actor.name, req.body.label));
    },
  );
  api.delete(
    '/tokens/:id',
    {
      schema: {
        summary: 'Thu hồi một mã truy cập của mình',
        tags: ['tài khoản'],
        params: idParam,
        response: { 200: ok, ...refusals },
      },
    },
    async (req) => {
      await revokeToken(db, req.user!.id, req.params.id);
      await recordAudit(db, actorOf(req), 'token.revoke', req.params.id, req.user!.unitId);
      return { ok: true as const };
    },
  );
}
