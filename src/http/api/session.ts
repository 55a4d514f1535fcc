import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { signIn, signOut } from '../sign-in';
import type { ApiDeps } from './deps';
import { errorBody, ok, toUserDto, userDto } from './schemas';

const sessionBody = z.object({ user: userDto, csrfToken: z.string().nullable() });

/** Signing in and out of a browser session. */
export async function sessionRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  api.post(
    '/session',
    {
      schema: {
        summary: 'Đăng nhập (phiên trình duyệt, cookie httpOnly)',
        tags: ['phiên'],
        body: z.object({ name: z.string().min(1).max(128), password: z.string().min(1).max(256) }),
        response: { 200: sessionBody, 400: errorBody, 401: errorBody, 429: errorBody },
      },
    },
    async (req, res) => {
      const result = await signIn(db, deps.config, req, res, req.body.name, req.body.password);
      if (!result.ok) {
        if (result.retryAfterSeconds) res.header('retry-after', String(result.retryAfterSeconds));
        return res.code(result.status).send({ error: { field: result.field, message: result.message } });
      }
      return { user: toUserDto(result.user), csrfToken: result.csrfToken };
    },
  );

  api.get(
    '/session',
    {
      schema: {
        summary: 'Người đang đăng nhập, và mã CSRF của phiên',
        tags: ['phiên'],
        response: { 200: sessionBody, 401: errorBody },
      },
    },
    async (req, res) => {
      if (!req.user) return res.code(401).send({ error: { message: 'chưa đăng nhập' } });
      return { user: toUserDto(req.user), csrfToken: req.sessionCsrf };
    },
  );

  api.delete(
    '/session',
    { schema: { summary: 'Đăng xuất', tags: ['phiên'], response: { 200: ok, 403: errorBody } } },
    async (req, res) => {
      await signOut(db, req, res);
      return { ok: true as const };
    },
  );
}
