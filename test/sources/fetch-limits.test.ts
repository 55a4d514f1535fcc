import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { fetchFeed } from '../../src/sources/fetch-feed';

/*
 * Limits at the door of a feed, at their exact edges (a mutation sample left both alive): a body one byte over the cap
 * sent without Content-Length, and a redirect chain of exactly one hop more than allowed.
 */
const LIMITS = { timeoutMs: 10_000, maxBytes: 1_000, maxRedirects: 5, allowPrivate: true, userAgent: 'Loa (test)' };
const NONE = { etag: null, lastModified: null };

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const hop = url.pathname.match(/^\/hop\/(\d+)\/(\d+)$/);
    if (hop) {
      const [at, last] = [Number(hop[1]), Number(hop[2])];
      if (at < last) res.writeHead(302, { location: `/hop/${at + 1}/${last}` }).end();
      else res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<rss/>');
      return;
    }
    const size = Number(url.searchParams.get('bytes'));
    // Chunked: no Content-Length, so only counting the body as it streams can stop it.
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'transfer-encoding': 'chunked' });
    res.write('x'.repeat(size - 1));
    res.end('x');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('a body of exactly the cap is taken; one byte over, without Content-Length, is refused as too large', async () => {
  const exact = await fetchFeed(`${base}/body?bytes=1000`, NONE, LIMITS);
  expect(exact.kind === 'fetched' && exact.body.length).toBe(1000);
  await expect(fetchFeed(`${base}/body?bytes=1001`, NONE, LIMITS)).rejects.toMatchObject({ kind: 'too-large' });
});

test('a chain of exactly maxRedirects hops is followed; one hop more is refused', async () => {
  const followed = await fetchFeed(`${base}/hop/0/5`, NONE, LIMITS);
  expect(followed).toMatchObject({ kind: 'fetched', url: `${base}/hop/5/5` });
  await expect(fetchFeed(`${base}/hop/0/6`, NONE, LIMITS)).rejects.toMatchObject({ kind: 'too-many-redirects' });
});
