import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import type { HttpDeps } from '../deps';
import { requiredText, text } from '../forms';
import { sendPage } from '../pages/render';
import { signIn, signOut } from '../sign-in';

/** Only a path of this site may be the page to go back to after signing in (never another site). */
function safeReturn(path: string | undefined): string {
  return path !== undefined && /^\/desk\/[\w\-/?=&%.]*$/.test(path) && !path.startsWith('//') ? path : '/desk/lich';
}

/** The page to go back to: an address of the desk, as long as a link to a deep page with its filters may be. */
const returnTo = text('Trang quay lại', 4000);

/** The sign-in form always sends both boxes (possibly empty: the page then says what to fill in). */
const signInForm = z.object({
  name: requiredText('Tên đăng nhập', 256),
  password: requiredText('Mật khẩu', 1024),
  tiep: returnTo,
});

export async function signInRoutes(
  app: FastifyInstance,
  { db, config }: Pick<HttpDeps, 'db' | 'config'>,
): Promise<void> {
  const desk = app.withTypeProvider<ZodTypeProvider>();
  desk.get('/desk/dang-nhap', { schema: { querystring: z.object({ tiep: returnTo }) } }, async (req, res) =>
    sendPage(res, 'sign-in', {
      page: 'dang-nhap',
      title: 'Đăng nhập',
      who: null,
      next: safeReturn(req.query.tiep),
      name: '',
      error: '',
    }),
  );

  desk.post('/desk/dang-nhap', { schema: { body: signInForm } }, async (req, res) => {
    const { name, password } = req.body;
    const next = safeReturn(req.body.tiep);
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
