import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One entry of a test feed. */
export interface TestEntry {
  guid?: string;
  link?: string;
  title: string;
  description?: string;
  pubDate?: string;
  enclosure?: string;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function rssXml(title: string, entries: TestEntry[]): string {
  const items = entries
    .map(
      (e) => `<item>
  <title>${escape(e.title)}</title>
  ${e.link ? `<link>${escape(e.link)}</link>` : ''}
  ${e.guid ? `<guid isPermaLink="false">${escape(e.guid)}</guid>` : ''}
  ${e.description !== undefined ? `<description>${escape(e.description)}</description>` : ''}
  ${e.pubDate ? `<pubDate>${e.pubDate}</pubDate>` : ''}
  ${e.enclosure ? `<enclosure url="${escape(e.enclosure)}" type="image/jpeg" length="1000"/>` : ''}
</item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${escape(title)}</title><link>https://cong.example.vn/</link><description>thử</description>\n${items}\n</channel></rss>`;
}

export interface SeenRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
}

/**
 * A portal's feed server on loopback, behaving as real ones do: ETag and Last-Modified with 304s on the feed, plus
 * the broken cases Loa must survive. `feed` is what /feed.xml serves now; tests change it between polls.
 */
export async function startFeedServer() {
  const state = {
    feed: rssXml('Cổng thông tin xã Tân Lập', []),
    lastModified: 'Mon, 02 Nov 2026 01:00:00 GMT',
    requests: [] as SeenRequest[],
    inFlight: 0,
    maxInFlight: 0,
    /** Delay before /feed.xml answers, to see overlapping polls. */
    feedDelayMs: 0,
  };
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    state.requests.push({ path, headers: req.headers });
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    res.on('close', () => state.inFlight--);
    const port = (server.address() as AddressInfo).port;
    switch (path) {
      case '/feed.xml': {
        if (state.feedDelayMs) await new Promise((r) => setTimeout(r, state.feedDelayMs));
        const etag = `"${createHash('sha1').update(state.feed).digest('hex').slice(0, 16)}"`;
        if (
          req.headers['if-none-match'] === etag ||
          (!req.headers['if-none-match'] && req.headers['if-modified-since'] === state.lastModified)
        ) {
          res.writeHead(304, { etag, 'last-modified': state.lastModified }).end();
          return;
        }
        res
          .writeHead(200, {
            'content-type': 'application/rss+xml; charset=utf-8',
            etag,
            'last-modified': state.lastModified,
          })
          .end(state.feed);
        return;
      }
      case '/slow.xml':
        hanging.add(res); // never answers
        return;
      case '/missing.xml':
        res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Không tìm thấy</h1>');
        return;
      case '/broken.xml':
        res
          .writeHead(200, { 'content-type': 'application/rss+xml' })
          .end('<?xml version="1.0"?><rss version="2.0"><channel><title>Hỏng</title><item><title>Tin</ite');
        return;
      case '/page.html':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body>Trang chủ</body></html>');
        return;
      case '/loop-a':
        res.writeHead(302, { location: `http://127.0.0.1:${port}/loop-b` }).end();
        return;
      case '/loop-b':
        res.writeHead(301, { location: '/loop-a' }).end();
        return;
      case '/moved.xml':
        res.writeHead(301, { location: '/feed.xml' }).end();
        return;
      case '/endless.xml': {
        // A body that never ends: only the size cap stops it.
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        const chunk = Buffer.alloc(64 * 1024, 'a');
        const pump = () => {
          while (res.write(chunk)) if (res.destroyed) return;
          if (!res.destroyed) res.once('drain', pump);
        };
        pump();
        return;
      }
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    state,
    base,
    url: (path: string) => `${base}${path}`,
    feedRequests: () => state.requests.filter((r) => r.path === '/feed.xml'),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FeedServer = Awaited<ReturnType<typeof startFeedServer>>;
