import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config';
import type { Db } from '../../store';
import { latestPublishedStamp, listPublished } from '../../store/publications';
import { renderRss } from '../rss-feed';

const FEED_SIZE = 50;

/** True when the client's copy (If-None-Match / If-Modified-Since) is still current. */
function clientIsCurrent(headers: Record<string, string | string[] | undefined>, etag: string, lastModified: Date | null): boolean {
  const ifNoneMatch = headers['if-none-match'];
  if (typeof ifNoneMatch === 'string') return ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*');
  const ifModifiedSince = headers['if-modified-since'];
  if (typeof ifModifiedSince === 'string' && lastModified) {
    const since = Date.parse(ifModifiedSince);
    return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) <= Math.floor(since / 1000);
  }
  return false;
}

/** The feed document with its validators: the ETag is a hash of the bytes, so any change changes it. */
export async function buildFeed(db: Db, config: Config, channelId?: string, selfPath = '/rss.xml') {
  const entries = await listPublished(db.kysely, 'rss', { channelId, limit: FEED_SIZE });
  const xml = renderRss(
    {
      title: `Tuyên truyền cải cách hành chính${channelId ? ` · ${channelId}` : ''}`,
      description: 'Tin bài tuyên truyền cải cách hành chính, đăng bởi Loa',
      siteUrl: config.publicUrl,
      selfUrl: `${config.publicUrl}${selfPath}`,
    },
    entries,
  );
  const etag = `"${createHash('sha256').update(xml).digest('base64url').slice(0, 27)}"`;
  return { xml, etag, lastModified: entries[0]?.publishedAt ?? null };
}

/** The portal feed: /rss.xml for every portal channel, /rss/<kênh>.xml for one unit's. */
export function feedRoutes(app: FastifyInstance, db: Db, config: Config): void {
  // The rendered feed is kept until something new is published (one indexed row read tells): a poll every minute
  // from many portals, and every 304, costs one small query instead of a read and a render of the whole feed.
  const cache = new Map<string, { stamp: string; feed: Awaited<ReturnType<typeof buildFeed>> }>();
  // Polls that arrive while the stamp is being read share that read: under a burst of portals the database sees one
  // query per round trip, not one per request. A request never waits for a read that started after it arrived.
  let stampInFlight: Promise<string> | null = null;
  const currentStamp = (): Promise<string> => {
    if (!stampInFlight) {
      stampInFlight = latestPublishedStamp(db.kysely).finally(() => {
        stampInFlight = null;
      });
    }
    return stampInFlight;
  };
  const serve = async (channelId: string | undefined, selfPath: string, headers: Record<string, string | string[] | undefined>) => {
    const stamp = await currentStamp();
    let cached = cache.get(selfPath);
    if (cached?.stamp !== stamp) {
      cached = { stamp, feed: await buildFeed(db, config, channelId, selfPath) };
      if (cache.size > 1_000) cache.clear(); // one entry per channel feed; bounded all the same
      cache.set(selfPath, cached);
    }
    return { ...cached.feed, current: clientIsCurrent(headers, cached.feed.etag, cached.feed.lastModified) };
  };

  const reply = (feed: Awaited<ReturnType<typeof serve>>, res: import('fastify').FastifyReply) => {
    res.header('ETag', feed.etag).header('Cache-Control', 'no-cache');
    if (feed.lastModified) res.header('Last-Modified', feed.lastModified.toUTCString());
    if (feed.current) return res.code(304).send();
    return res.type('application/rss+xml; charset=utf-8').send(feed.xml);
  };

  // Portals poll every minute: a line per poll would bury the log, so only warnings and errors are logged here.
  app.get('/rss.xml', { logLevel: 'warn' }, async (req, res) => reply(await serve(undefined, '/rss.xml', req.headers), res));
  app.get<{ Params: { channel: string } }>(
    '/rss/:channel.xml',
    { logLevel: 'warn', schema: { params: { type: 'object', properties: { channel: { type: 'string', pattern: '^[a-z0-9-]+$' } }, required: ['channel'] } } },
    async (req, res) => reply(await serve(req.params.channel, `/rss/${req.params.channel}.xml`, req.headers), res),
  );
}
