import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

import type { FastifyReply, FastifyRequest } from 'fastify';

/** Types worth compressing: text, scripts, styles, data; images and fonts are compressed already. */
const COMPRESSIBLE = /^(text\/|application\/(javascript|json)|image\/svg\+xml)/;

/**
 * Brotli quality 5: bull-board's largest script (344 KB) comes down to 108 KB in about 40 ms, once per process.
 * Quality 11 saves another 10 KB but takes 3.5 s of a two-core machine on the first visit.
 */
const ENCODERS = {
  br: promisify((input: Buffer, done: (error: Error | null, result: Buffer) => void) =>
    zlib.brotliCompress(input, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }, done),
  ),
  gzip: promisify((input: Buffer, done: (error: Error | null, result: Buffer) => void) =>
    zlib.gzip(input, { level: 6 }, done),
  ),
};
type Encoding = keyof typeof ENCODERS;

/** The best encoding the request accepts: brotli, else gzip (browsers offer brotli over HTTPS only), else none. */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | null {
  const accepted = new Set<string>();
  for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim());
    const q = params.find((p) => p.startsWith('q='));
    if (name && !(q && Number(q.slice(2)) === 0)) accepted.add(name);
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return null;
}

function isStream(payload: unknown): payload is Readable {
  return typeof payload === 'object' && payload !== null && typeof (payload as Readable).pipe === 'function';
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * An onSend hook for files served from a package's folder (bull-board's board: @fastify/static inside its own plugin,
 * so it cannot be given precompressed files, and its folder is not ours to write). Each file is compressed the first
 * time it is asked for and kept in memory, by path and ETag, so a changed file is compressed afresh; the set is bounded
 * by the files that exist, since only whole (200) answers are kept. Ranges, HEAD and 304 answers pass as they are.
 */
export function compressFilesOnce() {
  const cache = new Map<string, Promise<Buffer>>();
  return async (req: FastifyRequest, res: FastifyReply, payload: unknown): Promise<unknown> => {
    if (req.method !== 'GET' || res.statusCode !== 200 || !isStream(payload)) return payload;
    if (!COMPRESSIBLE.test(String(res.getHeader('content-type') ?? ''))) return payload;
    res.header('vary', 'accept-encoding');
    const encoding = chooseEncoding(req.headers['accept-encoding']);
    if (!encoding) return payload;
    const key = `${encoding} ${req.url.split('?')[0]} ${String(res.getHeader('etag') ?? '')}`;
    let compressed = cache.get(key);
    if (compressed)
      payload.destroy(); // the file's stream is not read: close it
    else {
      compressed = readAll(payload).then((bytes) => ENCODERS[encoding](bytes));
      cache.set(key, compressed);
      // A failed read is not remembered: the next request tries again (this one fails as any failed file would).
      compressed.catch(() => cache.delete(key));
    }
    const body = await compressed;
    res.header('content-encoding', encoding).removeHeader('content-length');
    return body;
  };
}
