import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Graph API on loopback that behaves as Meta documents the parts Loa uses:
 * POST /{v}/{page}/feed (message, link) → {id:"page_post"}; POST /{v}/{page}/photos (url, caption) →
 * {id, post_id}; GET /{v}/{page}/posts (since, until, limit, after) → {data, paging}; GET /{v}/{post}?fields=
 * permalink_url; GET /{v}/{page}?fields=name; GET /{v}/me/permissions. Errors are {error:{message,type,code,
 * error_subcode,fbtrace_id}} with their non-2xx statuses; usage headers on every answer. Switches inject each
 * error class, slow answers, a 200 holding an error, and accepting a post then dropping the connection.
 */

export interface FakePost {
  id: string;
  pageId: string;
  message: string;
  link?: string;
  imageUrl?: string;
  createdAt: Date;
}

/** What the next post calls meet, one switch per call (consumed in order), then normal service. */
export type Injection =
  | {
      error: { code: number; subcode?: number; message?: string; type?: string };
      status?: number;
      headers?: Record<string, string>;
      postAnyway?: boolean;
      in200?: boolean;
    }
  | { dropAfterAccept: true }
  | { slowMs: number }
  | { status: number; html: string };

export interface TokenGrant {
  pageId: string;
  revoked?: { subcode: number };
  permissions?: string[];
}

const STATUS_FOR_CODE: Record<number, number> = {
  1: 500,
  2: 503,
  4: 403,
  10: 403,
  17: 403,
  32: 403,
  100: 400,
  190: 400,
  200: 403,
  368: 403,
  506: 400,
  613: 403,
  80001: 403,
};

export class FakeGraphApi {
  readonly posts: FakePost[] = [];
  readonly tokens = new Map<string, TokenGrant>();
  readonly pageNames = new Map<string, string>();
  /** Every request as received (path and query: the fake may see the token; Loa's logs must not). */
  readonly requests: Array<{ method: string; path: string }> = [];
  /** Usage headers sent with every answer (e.g. {"x-app-usage": '{"call_count":95,…}'}). */
  usageHeaders: Record<string, string> = {};
  /** When true, listing a Page's posts fails (Loa then cannot tell). */
  listingFails = false;
  private readonly injections: Injection[] = [];
  private server!: http.Server;
  private sequence = 100;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        this.handle(req, res, body).catch((error: Error) =>
          this.send(res, 500, { error: { message: error.message, type: 'FakeError', code: 1 } }),
        );
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  page(pageId: string, name: string, token: string, grant: Partial<TokenGrant> = {}): void {
    this.pageNames.set(pageId, name);
    this.tokens.set(token, { pageId, permissions: ['pages_manage_posts', 'pages_read_engagement'], ...grant });
  }

  inject(...injections: Injection[]): void {
    this.injections.push(...injections);
  }

  /** Posts whose message contains `text`: "never twice" is asserted with this. */
  postsWith(text: string): FakePost[] {
    return this.posts.filter((p) => p.message.includes(text));
  }

  private send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...this.usageHeaders, ...headers });
    res.end(JSON.stringify(body));
  }

  private graphError(
    res: http.ServerResponse,
    code: number,
    message: string,
    options: {
      subcode?: number;
      type?: string;
      status?: number;
      headers?: Record<string, string>;
      in200?: boolean;
    } = {},
  ): void {
    const error = {
      message,
      type: options.type ?? (code === 190 ? 'OAuthException' : 'GraphMethodException'),
      code,
      ...(options.subcode ? { error_subcode: options.subcode } : {}),
      fbtrace_id: `Fk${this.sequence}`,
    };
    this.send(res, options.in200 ? 200 : (options.status ?? STATUS_FOR_CODE[code] ?? 400), { error }, options.headers);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    this.requests.push({ method: req.method ?? '', path: req.url ?? '' });
    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    if (raw)
      Object.assign(
        params,
        (req.headers['content-type'] ?? '').includes('json')
          ? JSON.parse(raw)
          : Object.fromEntries(new URLSearchParams(raw)),
      );
    const parts = url.pathname.split('/').filter(Boolean);
    if (!/^v\d+\.\d+$/.test(parts[0] ?? ''))
      return this.graphError(res, 2500, 'Unknown path components', { status: 400 });
    const [, node, edge] = parts as [string, string, string | undefined];
    const grant = this.tokens.get(params.access_token ?? '');
    if (!grant) return this.graphError(res, 190, 'Invalid OAuth access token - Cannot parse access token');
    if (grant.revoked)
      return this.graphError(res, 190, 'Error validating access token: the session has been invalidated.', {
        subcode: grant.revoked.subcode,
      });

    if (req.method === 'POST' && (edge === 'feed' || edge === 'photos'))
      return this.post(req, res, node, edge, params, grant);
    if (req.method === 'GET' && edge === 'posts') return this.list(res, node, params);
    if (req.method === 'GET' && node === 'me' && edge === 'permissions')
      return this.send(res, 200, {
        data: (grant.permissions ?? []).map((permission) => ({ permission, status: 'granted' })),
      });
    if (req.method === 'GET' && !edge && node.includes('_')) {
      const post = this.posts.find((p) => p.id === node);
      if (!post) return this.graphError(res, 100, 'Unsupported get request. Object does not exist', { subcode: 33 });
      return this.send(res, 200, {
        id: post.id,
        permalink_url: `https://www.facebook.com/${post.pageId}/posts/${post.id.split('_')[1]}`,
      });
    }
    if (req.method === 'GET' && !edge && this.pageNames.has(node))
      return this.send(res, 200, { id: node, name: this.pageNames.get(node) });
    return this.graphError(res, 100, 'Unsupported request', { subcode: 33 });
  }

  private async post(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    pageId: string,
    edge: string,
    params: Record<string, string>,
    grant: TokenGrant,
  ): Promise<void> {
    if (grant.pageId !== pageId)
      return this.graphError(res, 200, "(#200) The user hasn't authorized the application to perform this action");
    const injection = this.injections.shift();
    const accept = (): FakePost => {
      this.sequence += 1;
      const post: FakePost = {
        id: `${pageId}_${this.sequence}`,
        pageId,
        message: edge === 'photos' ? (params.caption ?? '') : (params.message ?? ''),
        createdAt: new Date(),
      };
      if (params.link) post.link = params.link;
      if (edge === 'photos') post.imageUrl = params.url;
      this.posts.push(post);
      return post;
    };
    if (injection && 'error' in injection) {
      if (injection.postAnyway) accept();
      return this.graphError(
        res,
        injection.error.code,
        injection.error.message ?? `(#${injection.error.code}) injected`,
        {
          subcode: injection.error.subcode,
          type: injection.error.type,
          status: injection.status,
          headers: injection.headers,
          in200: injection.in200,
        },
      );
    }
    if (injection && 'html' in injection) {
      res.writeHead(injection.status, { 'content-type': 'text/html' });
      return void res.end(injection.html);
    }
    if (!params.message && !params.caption && !params.url)
      return this.graphError(res, 100, '(#100) Missing message or attachment');
    const post = accept();
    if (injection && 'dropAfterAccept' in injection) return void req.socket.destroy();
    if (injection && 'slowMs' in injection) await new Promise((resolve) => setTimeout(resolve, injection.slowMs));
    if (res.destroyed || req.socket.destroyed) return;
    this.send(res, 200, edge === 'photos' ? { id: String(this.sequence), post_id: post.id } : { id: post.id });
  }

  private list(res: http.ServerResponse, pageId: string, params: Record<string, string>): void {
    if (this.listingFails)
      return this.graphError(res, 2, 'An unexpected error has occurred. Please retry your request later.');
    const since = params.since ? Number(params.since) * 1000 : -Infinity;
    const until = params.until ? Number(params.until) * 1000 : Infinity;
    const limit = Math.min(Number(params.limit ?? 25), 100);
    const start = params.after ? Number(Buffer.from(params.after, 'base64').toString()) : 0;
    const matching = this.posts
      .filter((p) => p.pageId === pageId && p.createdAt.getTime() >= since && p.createdAt.getTime() <= until)
      .reverse();
    const slice = matching.slice(start, start + limit);
    const next = start + limit < matching.length ? Buffer.from(String(start + limit)).toString('base64') : undefined;
    const created = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, '+0000');
    this.send(res, 200, {
      data: slice.map((p) => ({
        id: p.id,
        message: p.message,
        ...(p.link ? { link: p.link } : {}),
        created_time: created(p.createdAt),
        permalink_url: `https://www.facebook.com/${p.pageId}/posts/${p.id.split('_')[1]}`,
      })),
      paging: {
        cursors: { before: Buffer.from(String(start)).toString('base64'), ...(next ? { after: next } : {}) },
        ...(next ? { next: `${this.url}/v24.0/${pageId}/posts?after=${next}` } : {}),
      },
    });
  }
}
