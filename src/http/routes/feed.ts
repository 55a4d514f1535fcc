import type { IncomingHttpHeaders } from 'node:http';

import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';

import type { FeedCache, RenderedFeed } from '../feed-cache';
import { clientIsCurrent } from '../feed-cache';
import { field } from '../forms';

/**
 * The portal feed: /rss.xml for every portal channel, /rss/<kênh>.xml for one unit's. Most polls never reach these
 * routes: FeedCache.answerFromCache answers them in front of Fastify while the stamp is fresh. These answer the rest
 * (the first poll after the stamp is due, HEAD, query strings), the same way, from the same cache.
 */
export async function feedRoutes(app: FastifyInstance, { feeds }: { feeds: FeedCache }): Promise<void> {
  const reply = (feed: RenderedFeed, headers: IncomingHttpHeaders, res: FastifyReply) => {
    if (clientIsCurrent(headers, feed)) return res.code(304).headers(feed.headers.notModified).send();
    return res.headers(feed.headers.ok).send(feed.body);
  };
  // Portals poll every minute: a line per poll would bury the log, so only warnings and errors are logged here.
  // `anonymous`: the feed is the same for everyone, so the sign-in hook does not look up who asks.
  const options = { logLevel: 'warn', config: { anonymous: true } } as const;
  app.get('/rss.xml', options, async (req, res) => reply((await feeds.get(undefined, '/rss.xml'))!, req.headers, res));
  app.get<{ Params: { channel: string } }>(
    '/rss/:channel.xml',
    {
      ...options,
      schema: {
        params: z.object({
          channel: field(
            'Kênh',
            z
              .string()
              .max(100)
              .regex(/^[a-z0-9-]+$/),
          ),
        }),
      },
    },
    async (req, res) => {
      const feed = await feeds.get(req.params.channel, `/rss/${req.params.channel}.xml`);
      if (!feed)
        return res
          .code(404)
          .type('text/plain; charset=utf-8')
          .send(`Không có kênh cổng thông tin "${req.params.channel}" trong Loa.`);
      return reply(feed, req.headers, res);
    },
  );
}
