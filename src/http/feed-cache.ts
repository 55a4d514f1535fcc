import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

import { PLATFORMS } from '../../channels';
import type { Config } from '../config';
import type { Db } from '../store';
import { findChannel } from '../store/channels';
import { latestPublishedStamp, listPublished } from '../store/publications';
import { renderRss } from './rss-feed';

const FEED_SIZE = 50;

/** The platform whose channels' posts make the feed: declared by its descriptor (`servesFeed`), not named here. */
function feedPlatform(): string {
  const name = PLATFORMS.feed;
  if (!name) throw new Error('no installed platform serves the feed (servesFeed in channels/)');
  return name;
}

/** One rendering of a feed, with everything a reply needs computed once: the bytes, the validators, the headers. */
export interface RenderedFeed {
  body: Buffer;
  etag: string;
  lastModified: Date | null;
  /** Headers of a 200 and of a 304 (the validators and Cache-Control, which a 304 must repeat). */
  headers: { ok: Record<string, string>; notModified: Record<string, string> };
  /** The same as flat [name, value, …] lists for ServerResponse.writeHead, which takes them as they are. */
  raw: { ok: string[]; notModified: string[] };
}

/** The feed document and its validators: the ETag is a hash of the bytes, so any change changes it. */
export async function buildFeed(
  db: Db,
  config: Config,
  channelId?: string,
  selfPath = '/rss.xml',
): Promise<RenderedFeed> {
  const entries = await listPublished(db.kysely, feedPlatform(), { channelId, limit: FEED_SIZE });
  const xml = renderRss(
    {
      title: `Tuyên truyền cải cách hành chính${channelId ? ` · ${channelId}` : ''}`,
      description: 'Tin bài tuyên truyền cải cách hành chính, đăng bởi Loa',
      siteUrl: config.publicUrl,
      selfUrl: `${config.publicUrl}${selfPath}`,
    },
    entries,
  );
  const body = Buffer.from(xml, 'utf8');
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  const lastModified = entries[0]?.publishedAt ?? null;
  const notModified: Record<string, string> = {
    etag,
    'cache-control': 'no-cache',
    ...(lastModified ? { 'last-modified': lastModified.toUTCString() } : {}),
  };
  const ok = {
    'content-type': 'application/rss+xml; charset=utf-8',
    'content-length': String(body.length),
    ...notModified,
  };
  return {
    body,
    etag,
    lastModified,
    headers: { ok, notModified },
    raw: { ok: Object.entries(ok).flat(), notModified: Object.entries(notModified).flat() },
  };
}

/** True when the client's copy (If-None-Match / If-Modified-Since) is still current. */
export function clientIsCurrent(headers: IncomingHttpHeaders, feed: RenderedFeed): boolean {
  const ifNoneMatch = headers['if-none-match'];
  // If-None-Match, when sent, decides alone (RFC 9110 §13.1.3). The usual poll repeats the one ETag it was given.
  if (ifNoneMatch !== undefined)
    return (
      ifNoneMatch === feed.etag || ifNoneMatch.split(',').some((tag) => tag.trim() === feed.etag || tag.trim() === '*')
    );
  const ifModifiedSince = headers['if-modified-since'];
  if (ifModifiedSince !== undefined && feed.lastModified) {
    if (ifModifiedSince === feed.headers.notModified['last-modified']) return true;
    const since = Date.parse(ifModifiedSince);
    return !Number.isNaN(since) && Math.floor(feed.lastModified.getTime() / 1000) <= Math.floor(since / 1000);
  }
  return false;
}

export interface FeedCacheOptions {
  /** How long a stamp read from the database stands for the database (ms); see FeedCache. */
  freshnessMs: number;
  /** The clock, in ms; tests move it instead of waiting. */
  now?: () => number;
}

/**
 * The portal feeds' renderings, kept until something is published or taken down.
 *
 * Whether anything changed is told by a stamp (latestPublishedStamp: two indexed rows), read at most once per
 * `freshnessMs` (LOA_FEED_FRESHNESS_MS, 1 s by default) for every feed and every request in this process, and shared
 * by the requests that arrive while it is being read. A publication, an edit of what is published or a take-down made
 * by any process (the worker, the desk, the CLI) therefore reaches the feed within about that interval, and polls
 * (portals poll every minute) cost no database read at all in between. Each feed (/rss.xml, /rss/<kênh>.xml) keeps its
 * own rendering; all of them are checked against the one stamp.
 */
export class FeedCache {
  private readonly now: () => number;
  /** The last stamp read and when its read started: it tells the database's state as of at least that moment. */
  private stamp: { value: string; readStartedAt: number } | null = null;
  private stampInFlight: Promise<string> | null = null;
  private readonly feeds = new Map<
    string,
    { stamp: string; feed: Promise<RenderedFeed>; ready: RenderedFeed | null }
  >();

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly options: FeedCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The stamp, when the last one read is recent enough to stand for the database; null when it must be read again. */
  private freshStamp(): string | null {
    return this.stamp && this.now() - this.stamp.readStartedAt < this.options.freshnessMs ? this.stamp.value : null;
  }

  private currentStamp(): Promise<string> | string {
    const fresh = this.freshStamp();
    if (fresh !== null) return fresh;
    if (!this.stampInFlight) {
      const readStartedAt = this.now();
      this.stampInFlight = latestPublishedStamp(this.db.kysely)
        .then((value) => {
          this.stamp = { value, readStartedAt };
          return value;
        })
        .finally(() => {
          this.stampInFlight = null;
        });
    }
    return this.stampInFlight;
  }

  /**
   * The feed at `selfPath` (of one channel, or of every portal channel), rendered again when the stamp moved; null
   * when `channelId` is no portal channel: an unknown name gets no feed and takes no place in the cache.
   */
  async get(channelId: string | undefined, selfPath: string): Promise<RenderedFeed | null> {
    let cached = this.feeds.get(selfPath);
    if (
      channelId !== undefined &&
      !cached &&
      (await findChannel(this.db.kysely, channelId))?.platform !== feedPlatform()
    )
      return null;
    const stamp = await this.currentStamp();
    cached = this.feeds.get(selfPath);
    if (cached?.stamp !== stamp) {
      // Requests that find the same stale rendering share one render.
      const entry: { stamp: string; feed: Promise<RenderedFeed>; ready: RenderedFeed | null } = {
        stamp,
        feed: buildFeed(this.db, this.config, channelId, selfPath),
        ready: null,
      };
      entry.feed.then(
        (feed) => (entry.ready = feed),
        () => this.feeds.get(selfPath) === entry && this.feeds.delete(selfPath),
      );
      if (this.feeds.size > 1_000) this.feeds.clear(); // one entry per channel feed; bounded all the same
      this.feeds.set(selfPath, entry);
      cached = entry;
    }
    return cached.feed;
  }

  /**
   * The hot path, before any framework work: a GET or HEAD of a feed already rendered for a stamp still fresh is
   * answered here from the precomputed bytes and headers (true). Anything else (another path, a query string, a
   * stamp due to be read again, a feed not rendered yet) returns false and goes through the routes, which do the same
   * with a database read.
   */
  answerFromCache(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const cached = this.feeds.get(req.url!);
    if (!cached?.ready || cached.stamp !== this.freshStamp()) return false;
    const feed = cached.ready;
    if (clientIsCurrent(req.headers, feed)) {
      res.writeHead(304, feed.raw.notModified);
      res.end();
    } else {
      res.writeHead(200, feed.raw.ok);
      res.end(req.method === 'HEAD' ? undefined : feed.body);
    }
    return true;
  }
}
