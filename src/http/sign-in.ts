import type { FastifyReply, FastifyRequest } from 'fastify';

import type { Config } from '../config';
import type { Db } from '../store';
import { recordAudit } from '../store/audit';
import {
  clearLoginFailures,
  createSession,
  endSession,
  LOGIN_LIMITS,
  loginBlocked,
  recordLoginFailure,
  SESSION_HOURS,
} from '../store/credentials';
import { checkLogin, type User } from '../store/users';
import { cookieIsSecure, SESSION_COOKIE } from './auth';

export type SignInResult =
  | { ok: true; user: User; csrfToken: string }
  | { ok: false; status: 401 | 429; field: 'name' | 'password'; message: string; retryAfterSeconds?: number };

/**
 * Signing in, for the API and the desk's form alike: throttled per account and per address, the same answer for
 * an unknown name and a wrong password, a session cookie (httpOnly, SameSite=Lax, Secure behind TLS), audited.
 */
export async function signIn(
  db: Db,
  config: Config,
  req: FastifyRequest,
  res: FastifyReply,
  name: string,
  password: string,
): Promise<SignInResult> {
  const account = name.normalize('NFC').trim();
  const blocked = await loginBlocked(db.kysely, account, req.ip);
  if (blocked) {
    const who = blocked === 'account' ? 'tài khoản này' : 'địa chỉ này';
    return {
      ok: false,
      status: 429,
      field: 'name',
      message: `đăng nhập sai quá nhiều lần từ ${who}; thử lại sau ${LOGIN_LIMITS.windowMs / 60_000} phút`,
      retryAfterSeconds: Math.ceil(LOGIN_LIMITS.windowMs / 1000),
    };
  }
  const user = await checkLogin(db.kysely, account, password);
  if (!user) {
    await recordLoginFailure(db.kysely, account, req.ip);
    return { ok: false, status: 401, field: 'password', message: 'tên đăng nhập hoặc mật khẩu không đúng' };
  }
  await clearLoginFailures(db.kysely, account);
  const session = await createSession(db.kysely, user.id);
  res.setCookie(SESSION_COOKIE, session.sessionId, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: cookieIsSecure(req, config),
    maxAge: SESSION_HOURS * 3600,
  });
  await recordAudit(
    db.kysely,
    { name: user.name, role: user.role, unitId: user.unitId, source: 'browser' },
    'session.login',
    user.name,
    user.unitId,
    { address: req.ip },
  );
  return { ok: true, user, csrfToken: session.csrfToken };
}

export async function signOut(db: Db, req: FastifyRequest, res: FastifyReply): Promise<void> {
  const sessionId = req.cookies[SESSION_COOKIE];
  if (sessionId) await endSession(db.kysely, sessionId);
  res.clearCookie(SESSION_COOKIE, { path: '/' });
}
