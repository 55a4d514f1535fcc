import { timingSafeEqual } from 'node:crypto';

import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { Config } from '../config';
import type { Actor } from '../domain/access';
import type { Db } from '../store';
import { readSession, userOfToken } from '../store/credentials';
import { getUserById, type User } from '../store/users';

export const SESSION_COOKIE = 'loa_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in person, from an API token or a browser session; null when anonymous. */
    actor: Actor | null;
    user: User | null;
    /** The session's CSRF token when the request came with a session cookie (not with a Bearer token). */
    sessionCsrf: string | null;
  }
  interface FastifyContextConfig {
    /** The route answers everyone alike (the public feed): who asks is not looked up, credentials are not checked. */
    anonymous?: boolean;
  }
}

/** Paths under /api that answer without signing in: signing in itself and the API's description. */
const PUBLIC_API = new Set(['/api/session', '/api/openapi.json']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

function refuse(res: FastifyReply, status: number, field: string, message: string) {
  return res.code(status).send({ error: { field, message } });
}

/** Whether the session cookie must carry Secure: when Loa is reached over TLS (its public address, or a TLS-terminating proxy). */
export function cookieIsSecure(req: FastifyRequest, config: Config): boolean {
  return config.publicUrl.startsWith('https:') || req.protocol === 'https';
}

/**
 * Who is asking, for every request: `Authorization: Bearer <token>` (scripts, other systems) or the session
 * cookie (browsers). Everything under /api except signing in needs one (401). A browser's state-changing
 * request must also carry its session's CSRF token (header X-CSRF-Token or form field _csrf), because the
 * cookie alone would be sent by any page the person visits; Bearer requests carry no ambient credential.
 */
export async function installAuth(app: FastifyInstance, db: Db): Promise<void> {
  await app.register(cookie);
  app.decorateRequest('actor', null);
  app.decorateRequest('user', null);
  app.decorateRequest('sessionCsrf', null);

  app.addHook('onRequest', async (req, res) => {
    if (req.routeOptions.config.anonymous) return;
    const header = req.headers.authorization;
    let userId: number | null = null;
    let source: Actor['source'] = 'API';
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      userId = m ? await userOfToken(db.kysely, m[1]!) : null;
      if (userId === null)
        return refuse(res, 401, 'Authorization', 'mã truy cập không đúng, đã bị thu hồi hoặc tài khoản đã bị khóa');
    } else {
      const sessionId = req.cookies[SESSION_COOKIE];
      const session = sessionId ? await readSession(db.kysely, sessionId) : null;
      if (session) {
        userId = session.userId;
        source = 'browser';
        req.sessionCsrf = session.csrfToken;
      }
    }
    if (userId !== null) {
      const user = await getUserById(db.kysely, userId);
      req.user = user;
      req.actor = { name: user.name, role: user.role, unitId: user.unitId, source };
    }
    const path = pathOf(req.url);
    if (req.actor === null && (path === '/api' || path.startsWith('/api/')) && !PUBLIC_API.has(path)) {
      return refuse(
        res,
        401,
        'Authorization',
        'cần đăng nhập (phiên trình duyệt) hoặc mã truy cập (Authorization: Bearer …)',
      );
    }
  });

  // preValidation: the body is parsed (a form's _csrf field is there) and not yet stripped to the route's schema.
  app.addHook('preValidation', async (req, res) => {
    if (req.sessionCsrf === null || SAFE_METHODS.has(req.method)) return;
    const body = req.body as { _csrf?: unknown } | undefined;
    const given =
      req.headers[CSRF_HEADER] ?? (body && typeof body === 'object' && !Buffer.isBuffer(body) ? body._csrf : undefined);
    const expected = Buffer.from(req.sessionCsrf);
    const actual = Buffer.from(typeof given === 'string' ? given : '');
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      return refuse(
        res,
        403,
        'X-CSRF-Token',
        'thiếu hoặc sai mã chống giả mạo (CSRF) của phiên; tải lại trang rồi thử lại',
      );
    }
  });
}
