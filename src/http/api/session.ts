import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit } from '../../store/audit';
import { clearLoginFailures, createSession, endSession, LOGIN_LIMITS, loginBlocked, recordLoginFailure, SESSION_HOURS } from '../../store/credentials';
import { checkLogin } from '../../store/users';
import { cookieIsSecure, SESSION_COOKIE } from '../auth';
import type { ApiDeps } from './deps';
import { errorBody, ok, toUserDto, userDto } from './schemas';

const sessionBody = z.object({ user: userDto, csrfToken: z.string().nullable() });

/** Signing in and out of a browser session. */
export function sessionRoutes(app: FastifyInstance, deps: ApiDeps): void {
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
      const account = req.body.name.normalize('NFC').trim();
      const blocked = await loginBlocked(db.kysely, account, req.ip);
      if (blocked) {
        res.header('retry-after', String(Math.ceil(LOGIN_LIMITS.windowMs / 1000)));
        const who = blocked === 'account' ? 'tài khoản này' : 'địa chỉ này';
        return res.code(429).send({ error: { field: 'name', message: `đăng nhập sai quá nhiều lần từ ${who}; thử lại sau ${LOGIN_LIMITS.windowMs / 60_000} phút` } });
      }
      const user = await checkLogin(db.kysely, account, req.body.password);
      if (!user) {
        await recordLoginFailure(db.kysely, account, req.ip);
        return res.code(401).send({ error: { field: 'password', message: 'tên đăng nhập hoặc mật khẩu không đúng' } });
      }
      await clearLoginFailures(db.kysely, account);
      const session = await createSession(db.kysely, user.id);
      res.setCookie(SESSION_COOKIE, session.sessionId, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: cookieIsSecure(req, deps.config),
        maxAge: SESSION_HOURS * 3600,
      });
      await recordAudit(db.kysely, { name: user.name, role: user.role, unitId: user.unitId, source: 'browser' }, 'session.login', user.name, user.unitId, { address: req.ip });
      return { user: toUserDto(user), csrfToken: session.csrfToken };
    },
  );

  api.get(
    '/session',
    { schema: { summary: 'Người đang đăng nhập, và mã CSRF của phiên', tags: ['phiên'], response: { 200: sessionBody, 401: errorBody } } },
    async (req, res) => {
      if (!req.user) return res.code(401).send({ error: { message: 'chưa đăng nhập' } });
      return { user: toUserDto(req.user), csrfToken: req.sessionCsrf };
    },
  );

  api.delete(
    '/session',
    { schema: { summary: 'Đăng xuất', tags: ['phiên'], response: { 200: ok, 403: errorBody } } },
    async (req, res) => {
      const sessionId = req.cookies[SESSION_COOKIE];
      if (sessionId) await endSession(db.kysely, sessionId);
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );
}
