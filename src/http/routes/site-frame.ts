import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { publicationFor } from '../../actions/publications';
import type { Db } from '../../store';
import type { HttpDeps } from '../deps';
import { field } from '../forms';
import { mistakeOf } from '../pages/mistake';
import { pageFrame, sendPage } from '../pages/render';

/** A small icon for the browser's tab (an SVG loudspeaker in the desk's blue): no 404 for every first visit. */
const FAVICON = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b5cad"/>' +
    '<path d="M7 13h5l7-6v18l-7-6H7z" fill="#fff"/><path d="M22 11c2 2 2 8 0 10M25 8c4 4 4 12 0 16" stroke="#fff" stroke-width="2" fill="none" stroke-linecap="round"/></svg>',
);

/** Whether a request is the API's (scripts and other systems read JSON there) rather than a person's page. */
export function isApiRequest(req: FastifyRequest): boolean {
  const path = req.url.split('?')[0]!;
  return path === '/api' || path.startsWith('/api/');
}

/** The page a person gets for an address that is not there: in Vietnamese, with the ways back. */
export async function sendNotFoundPage(db: Db, req: FastifyRequest, res: FastifyReply): Promise<FastifyReply> {
  const frame = await pageFrame(db, req).catch(() => ({ who: null, csrf: '' }));
  return sendPage(
    res,
    'not-found',
    { ...frame, page: '', title: 'Không có trang này', address: req.url.split('?')[0]!.slice(0, 200) },
    404,
  );
}

/** Whether a browser asked for a page (a link followed, a form sent): it reads HTML, whatever the address. */
export function wantsPage(req: FastifyRequest): boolean {
  return !isApiRequest(req) && /\btext\/html\b/.test(req.headers.accept ?? '');
}

/**
 * The page a person gets when the server refused what their browser sent (a form too large, an address with a value
 * out of shape): the refusal in Vietnamese and the ways back, never Fastify's JSON. No database needed.
 */
export async function sendRefusalPage(res: FastifyReply, status: number, message: string): Promise<FastifyReply> {
  return sendPage(
    res,
    'refused',
    { who: null, csrf: '', page: '', title: 'Không làm được yêu cầu', message, status },
    status,
  );
}

/**
 * The page a person gets when the server failed: no stack, no JSON, what to do next. It needs no database (the
 * database may be what failed), so it shows no name in the header.
 */
export async function sendServerErrorPage(res: FastifyReply, status = 500): Promise<FastifyReply> {
  return sendPage(res, 'server-error', { who: null, csrf: '', page: '', title: 'Máy chủ gặp lỗi', status }, status);
}

/**
 * The front door and fallbacks, as a plugin that shares the server's scope (fastify-plugin): the not-found page is the
 * whole site's.
 */
export const siteFrameRoutes = fp(siteFrame, { name: 'loa-site-frame' });

/**
 * The site's front door and its fallbacks: `/` leads to the desk (the desk's guard sends a person who is not signed
 * in to its sign-in form), the tab icon, and an unknown address answers a Vietnamese page (or, under /api, Vietnamese
 * JSON) instead of Fastify's English one.
 */
async function siteFrame(app: FastifyInstance, { db }: Pick<HttpDeps, 'db'>): Promise<void> {
  app.get('/', { config: { anonymous: true } }, async (_req, res) => res.redirect('/desk', 302));
  const icon = async (_req: FastifyRequest, res: FastifyReply) =>
    res.type('image/svg+xml').header('cache-control', 'public, max-age=604800').send(FAVICON);
  app.get('/favicon.ico', { config: { anonymous: true } }, icon);
  app.get('/favicon.svg', { config: { anonymous: true } }, icon);

  app.get('/desk/tro-giup', async (req, res) =>
    sendPage(res, 'help', { ...(await pageFrame(db, req)), page: 'tro-giup', title: 'Trợ giúp' }),
  );

  // A radio script as it was published (the text the station reads), for a person of the channel's unit.
  const scriptParams = z.object({ id: field('Mã lượt đăng', z.string().max(200)) });
  app
    .withTypeProvider<ZodTypeProvider>()
    .get('/desk/kich-ban/:id', { schema: { params: scriptParams } }, async (req, res) => {
      try {
        const { publication } = await publicationFor(db.kysely, req.actor!, req.params.id);
        if (!publication.content) return await sendNotFoundPage(db, req, res);
        return await res
          .type('text/plain; charset=utf-8')
          .header('cache-control', 'private, no-store')
          .send(publication.content);
      } catch (error) {
        if (mistakeOf(error) === null) throw error;
        return sendNotFoundPage(db, req, res);
      }
    });

  app.setNotFoundHandler(async (req, res) => {
    if (isApiRequest(req))
      return res.code(404).send({
        error: {
          message: `không có địa chỉ ${req.method} ${req.url.split('?')[0]!.slice(0, 200)} trong API; xem /api/openapi.json`,
        },
      });
    return sendNotFoundPage(db, req, res);
  });
}
