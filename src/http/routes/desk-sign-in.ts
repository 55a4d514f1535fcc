import type { FastifyInstance } from 'fastify';

import type { HttpDeps } from '../deps';
import { sendPage } from '../pages/render';
import { signIn, signOut } from '../sign-in';

/** Only a path of this site may be the page to go back to after signing in (never another site). */
function safeReturn(path: unknown): string {
  return typeof path === 'string' && /^\/desk\/[\w\-/?=&%.]*$/.test(path) && !path.startsWith('//')
    ? path
    : '/desk/lich';
}

export async function signInRoutes(
  app: FastifyInstance,
  { db, config }: Pick<HttpDeps, 'db' | 'config'>,
): Promise<void> {
  app.get<{ Querystring: { tiep?: string } }>('/desk/dang-nhap', async (req, res) =>
    sendPage(res, 'sign-in', {
      page: 'dang-nhap',
      title: 'Đăng nhập',
      who: null,
      next: safeReturn(req.query.tiep),
      name: '',
      error: '',
    }),
  );

  app.post<{ Body: { name?: string; password?: string; tiep?: string } }>('/desk/dang-nhap', async (req, res) => {
    const name = String(req.body?.name ?? '');
    const password = String(req.body?.password ?? '');
    const next = safeReturn(req.body?.tiep);
    if (!name.trim() || !password)
      return sendPage(
        res,
        'sign-in',
        { page: 'dang-nhap', title: 'Đăng nhập', who: null, next, name, error: 'Cần nhập tên đăng nhập và mật khẩu.' },
        400,
      );
    const result = await signIn(db, config, req, res, name, password);
    if (!result.ok) {
      if (result.retryAfterSeconds) res.header('retry-after', String(result.retryAfterSeconds));
      return sendPage(
        res,
        'sign-in',
        {
          page: 'dang-nhap',
          title: 'Đăng nhập',
          who: null,
          next,
          name,
          error: `Không đăng nhập được: ${result.message}.`,
        },
        result.status,
      );
    }
    return res.redirect(next, 303);
  });

  // Signing out changes state, so it is a form POST carrying the session's CSRF token (checked by the auth hook).
  app.post('/desk/dang-xuat', async (req, res) => {
    await signOut(db, req, res);
    return res.redirect('/desk/dang-nhap', 303);
  });
}
