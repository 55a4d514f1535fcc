import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { templateData, type Templates } from '../../channels/template';
import {
  type AttemptContext,
  type ChannelAdapter,
  ChannelError,
  type PostContext,
  type PublishOutcome,
  type Reconciliation,
} from '../../channels/types';

/**
 * A social platform that cannot take a second call, as a real local HTTP server: every accepted POST is a public
 * post, counted. Each request takes the next behaviour from `script` (then `ok`):
 * - `ok`: accepts after `delayMs`, answers 201 with the post's id;
 * - `accept-then-fail`: accepts (the post exists) and drops the connection before answering;
 * - `hang`: accepts and never answers;
 * - `retry-after`: refuses with 429 and a Retry-After of `retryAfterSeconds` (nothing posted);
 * Lookups (GET /posts?text=…) answer the posts with exactly that text (a platform knows nothing of Loa's
 * publications), or 503 when `lookupsFail` is set.
 */
export type Behaviour = 'ok' | 'accept-then-fail' | 'hang' | 'retry-after';

export interface FakePost {
  id: string;
  ref: string;
  text: string;
  at: number;
}

export class FakePlatform {
  readonly posts: FakePost[] = [];
  readonly requests: { ref: string; at: number; behaviour: Behaviour }[] = [];
  script: Behaviour[] = [];
  delayMs = 0;
  retryAfterSeconds = 3;
  lookupsFail = false;
  private readonly server = http.createServer((req, res) => void this.handle(req, res));
  private readonly hanging = new Set<http.ServerResponse>();
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  postsOf(ref: string): FakePost[] {
    return this.posts.filter((p) => p.ref === ref);
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'GET' && url.pathname === '/posts') {
      if (this.lookupsFail) return void res.writeHead(503).end();
      // Listed by text, as a Page lists its recent posts: the same text posted twice gives two.
      const text = url.searchParams.get('text') ?? '';
      const listed = this.posts.filter((p) => p.text === text);
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(listed));
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    const { ref, text } = JSON.parse(body) as { ref: string; text: string };
    const behaviour = this.script.shift() ?? 'ok';
    this.requests.push({ ref, at: Date.now(), behaviour });
    if (behaviour === 'retry-after') {
      return void res
        .writeHead(429, {
          'retry-after': String(this.retryAfterSeconds),
          'x-trace-id': `trace-${this.requests.length}`,
        })
        .end(JSON.stringify({ error: { code: 4, message: 'rate limited' } }));
    }
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const post = { id: `post-${this.posts.length + 1}`, ref, text, at: Date.now() };
    this.posts.push(post);
    if (behaviour === 'accept-then-fail') return void res.socket?.destroy();
    if (behaviour === 'hang') return void this.hanging.add(res);
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: post.id }));
  }
}

/**
 * The adapter of that platform, following the rules of channels/types.ts: `sent` only with the platform's id,
 * `unknown` when the request may have landed, ChannelError only when nothing was posted.
 */
export class FakePlatformAdapter implements ChannelAdapter {
  readonly platform = 'facebook' as const;
  readonly idempotent = false;

  constructor(
    private readonly templates: Templates,
    private readonly url: () => string,
  ) {}

  render(post: PostContext): Promise<string> {
    return this.templates.render('rss.liquid', templateData(post));
  }

  async publish(post: PostContext, rendered: string, attempt: AttemptContext): Promise<PublishOutcome> {
    let response: Response;
    try {
      response = await fetch(`${this.url()}/posts`, {
        method: 'POST',
        body: JSON.stringify({ ref: post.publication.id, text: rendered }),
        signal: attempt.signal,
      });
    } catch (error) {
      return { status: 'unknown', reason: `mất kết nối sau khi gửi: ${(error as Error).message}` };
    }
    if (response.status === 429) {
      const trace = { code: 429, subcode: 4, traceId: response.headers.get('x-trace-id') ?? undefined };
      throw new ChannelError(
        'retry-later',
        'nền tảng giới hạn tần suất',
        Number(response.headers.get('retry-after')) * 1000,
        trace,
      );
    }
    const { id } = (await response.json()) as { id: string };
    return { status: 'sent', externalId: id, externalUrl: `${this.url()}/p/${id}`, content: rendered };
  }

  /** Exactly what was sent, among the platform's posts; posts the ledger gives to others are never taken (rule 4). */
  async findExisting(_post: PostContext, rendered: string, attempt: AttemptContext): Promise<Reconciliation> {
    const response = await fetch(`${this.url()}/posts?text=${encodeURIComponent(rendered)}`).catch(() => null);
    if (!response?.ok) return { status: 'cannot-tell', reason: 'nền tảng không cho tra cứu bài đã đăng' };
    const listed = (await response.json()) as FakePost[];
    const owned = await attempt.ownedElsewhere(listed.map((p) => p.id));
    const free = listed.filter((p) => !owned.has(p.id));
    if (free.length > 1) return { status: 'cannot-tell', reason: `có ${free.length} bài giống hệt nhau trên nền tảng` };
    const [found] = free;
    return found
      ? { status: 'found', externalId: found.id, externalUrl: `${this.url()}/p/${found.id}`, content: found.text }
      : { status: 'absent' };
  }
}
