import type { FastifyInstance } from 'fastify';
import { formatLocal } from '../../domain/time';
import type { Db } from '../../store';
import { getPublished } from '../../store/publications';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page a feed item links to when the item has no link of its own. The content is the rendered (escaped) template. */
export function postRoutes(app: FastifyInstance, db: Db): void {
  app.get<{ Params: { id: string } }>(
    '/posts/:id',
    { schema: { params: { type: 'object', properties: { id: { type: 'string', maxLength: 200 } }, required: ['id'] } } },
    async (req, res) => {
      const post = await getPublished(db.kysely, req.params.id);
      if (!post) return res.code(404).type('text/html; charset=utf-8').send('<!doctype html><html lang="vi"><meta charset="utf-8"><title>Không tìm thấy</title><p>Không tìm thấy bài đăng này.</p></html>');
      return res
        .type('text/html; charset=utf-8')
        .send(
          `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${escapeHtml(post.title)}</title></head><body><article><h1>${escapeHtml(post.title)}</h1><p><small>${escapeHtml(post.unitName)} · ${formatLocal(post.publishedAt)} · ${escapeHtml(post.areaName)}</small></p>${post.content}</article></body></html>`,
        );
    },
  );
}
