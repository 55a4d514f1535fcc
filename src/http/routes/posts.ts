import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { formatLocal } from '../../domain/time';
import { getPublished } from '../../store/publications';
import type { HttpDeps } from '../deps';
import { field } from '../forms';
import { escapeHtml, safeContentHtml } from '../html';

/** One page: its own title; a strict policy so that even markup that slipped through could run no script. */
function page(title: string, body: string): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;
}

const CONTENT_SECURITY_POLICY = "default-src 'none'; img-src http: https:; style-src 'unsafe-inline'";

/** The page a feed item links to when the item has no link of its own. Every officer-typed text is escaped. */
export async function postRoutes(app: FastifyInstance, { db }: Pick<HttpDeps, 'db'>): Promise<void> {
  app.get<{ Params: { id: string } }>(
    '/posts/:id',
    {
      schema: { params: z.object({ id: field('Mã bài đăng', z.string().max(200)) }) },
    },
    async (req, res) => {
      const post = await getPublished(db.kysely, req.params.id);
      res
        .type('text/html; charset=utf-8')
        .header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
        .header('X-Content-Type-Options', 'nosniff');
      if (!post) return res.code(404).send(page('Không tìm thấy', '<p>Không tìm thấy bài đăng này.</p>'));
      // pre-line keeps a plain-text script's lines (radio) apart; rendered HTML reads the same with it.
      return res.send(
        page(
          post.title,
          `<article><h1>${escapeHtml(post.title)}</h1><p><small>${escapeHtml(post.unitName)} · ${formatLocal(post.publishedAt)} · ${escapeHtml(post.areaName)}</small></p><div style="white-space: pre-line">${safeContentHtml(post.content)}</div></article>`,
        ),
      );
    },
  );
}
