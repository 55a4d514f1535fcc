import fs from 'node:fs';

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { seesUnit } from '../../domain/access';
import { NotFoundError } from '../../domain/errors';
import { findChannel } from '../../store/channels';
import { getPublication } from '../../store/publications';
import type { HttpDeps } from '../deps';
import { field } from '../forms';

/**
 * The one way to hear a published script (a draft's reading is heard on the writing page, src/http/pages/draft-audio.ts): GET /desk/nghe-thu/bai-dang/<publication>, for a signed-in person of the channel's
 * unit (the desk's guard sends others to sign in). The audio is made by the channel on the first request and kept
 * (channels/radio: espeak-ng), so publishing never waits for a synthesiser. 404 with the reason when there is none.
 */
export async function audioPreviewRoutes(
  app: FastifyInstance,
  { db, adapters }: Pick<HttpDeps, 'db' | 'adapters'>,
): Promise<void> {
  app.get<{ Params: { id: string } }>(
    '/desk/nghe-thu/bai-dang/:id',
    {
      schema: {
        params: z.object({
          id: field(
            'Mã lượt đăng',
            z
              .string()
              .max(200)
              .regex(/^[A-Za-z0-9._-]+$/),
          ),
        }),
      },
    },
    async (req, res) => {
      const notFound = (why: string) => res.code(404).type('text/plain; charset=utf-8').send(why);
      const publication = await getPublication(db.kysely, req.params.id).catch((error: unknown) => {
        if (error instanceof NotFoundError) return null;
        throw error;
      });
      const channel = publication ? await findChannel(db.kysely, publication.channelId) : null;
      // Another unit's publication reads as missing, like everywhere else on the desk.
      if (!publication || !channel || !req.actor || !seesUnit(req.actor, channel.unitId))
        return notFound('không tìm thấy bài đăng này');
      const adapter = adapters[channel.platform];
      if (!adapter?.audioPreview) return notFound('kênh này không có bản nghe thử');
      if (publication.state !== 'published') return notFound('bài chưa đăng nên chưa có bản nghe thử');
      const answer = await adapter.audioPreview(publication, channel);
      if ('unavailable' in answer) return notFound(answer.unavailable);
      return res
        .type(answer.contentType)
        .header('cache-control', 'private, max-age=3600')
        .send(fs.createReadStream(answer.file));
    },
  );
}
