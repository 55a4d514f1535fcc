import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Graph API on loopback for the demo, the tests and the chaos run, behaving as Meta documents the parts Loa uses
 * (not as Loa expects). Each behaviour names its source:
 * - [ERR] Graph API, "Handling Errors" (developers.facebook.com/docs/graph-api/guides/error-handling): errors are
 *   {error:{message,type,code,error_subcode,fbtrace_id}}; 368 "temporarily blocked for policies violations", 506
 *   duplicate post, 1609005 "error posting link" (the link could not be scraped).
 * - [POST] Graph API reference, Post (/docs/graph-api/reference/post): the fields caption, description, link, name,
 *   object_id, source and type of /page/feed and /page/posts were deprecated in v3.3; asking for one is refused with
 *   error #12 "<field> field is deprecated for versions v3.3 and higher" (HTTP 400, as seen in the wild: Facepager
 *   issue 147). The link of a post is read from `attachments{url,unshimmed_url,target}`, its address `permalink_url`.
 * - [ATT] Graph API reference, Story Attachment: `url` is the attachment's address through Facebook's link shim
 *   (l.facebook.com/l.php?u=…), `unshimmed_url` the address itself, `target{id,url}` the object it points to.
 * - [FEED] Pages API, Posts (/docs/pages-api/posts): POST /{page-id}/feed with message and link answers {id} (the
 *   post id, page_post); POST /{page-id}/photos with url and caption answers {id, post_id}; a Page access token with
 *   pages_manage_posts is needed, else #200. DELETE /{page-post-id} with the Page's token deletes the post and
 *   answers {success: true} ("Delete a Post" in the same guide); an id that is not a post of the token's Page answers
 *   #100 subcode 33 (the generic "does not exist, cannot be loaded due to missing permissions").
 * - [RATE] Graph API, "Rate Limits": calls with a Page token count against the Page's Business Use Case limit over a
 *   rolling 24 hours (4,800 × engaged users), reported in x-business-use-case-usage with
 *   estimated_time_to_regain_access in minutes; over it, error 32 (Pages) or 80001 (Pages BUC).
 * - [LOGIN] Facebook Login, "Manually Build a Login Flow" and "Long-Lived Access Tokens": the dialog
 *   /{v}/dialog/oauth?client_id&redirect_uri&state&scope returns `code` and `state` to redirect_uri;
 *   GET /{v}/oauth/access_token?client_id&redirect_uri&client_secret&code gives a short-lived user token;
 *   grant_type=fb_exchange_token gives a long-lived one (expires_in about 60 days); /me/accounts lists the Pages the
 *   user manages with each Page's token (a Page token from a long-lived user token does not expire); debug_token
 *   (with the app token app_id|app_secret) tells type, app_id, profile_id, is_valid, expires_at (0: never) and scopes.
 * - Access tokens are read from `Authorization: Bearer …` or the `access_token` parameter (Graph takes both).
 * Switches inject each error class, slow answers, a 200 holding an error, and accepting a post then dropping the
 * connection.
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

/** A Facebook user who can log in to the app and manages some Pages ([LOGIN]). */
export interface FakeUser {
  id: string;
  pages: string[];
  /** What the user grants in the dialog; default the three Loa asks for. */
  grants?: string[];
}

/** [POST] fields removed from Page posts in v3.3. */
export const REMOVED_POST_FIELDS = new Set(['caption', 'description', 'link', 'name', 'object_id', 'source', 'type']);
/** Page post fields this fake serves (a subset of the Post reference). */
const POST_FIELDS = new Set(['id', 'message', 'created_time', 'updated_time', 'permalink_url', 'attachments', 'story']);
/** [LOGIN] the permissions a Page publishing app asks for. */
export const PAGE_SCOPES = ['pages_show_list', 'pages_manage_posts', 'pages_read_engagement'];

const STATUS_FOR_CODE: Record<number, number> = {
  1: 500,
  2: 503,
  4: 403,
  10: 403,
  12: 400,
  17: 403,
  32: 403,
  100: 400,
  190: 400,
  200: 403,
  368: 400,
  506: 400,
  613: 403,
  80001: 403,
  1609005: 400,
};

/** A field list as Graph reads it: `a,b{c,d},e` → [[a], [b, "c,d"], [e]]. */
function parseFields(text: string): Array<{ name: string; sub: string | null }> {
  const out: Array<{ name: string; sub: string | null }> = [];
  let depth = 0;
  let start = 0;
  const push = (part: string) => {
    const trimmed = part.trim();
    if (!trimmed) return;
    const brace = trimmed.indexOf('{');
    out.push(
      brace < 0
        ? { name: trimmed, sub: null }
        : { name: trimmed.slice(0, brace), sub: trimmed.slice(brace + 1, trimmed.lastIndexOf('}')) },
    );
  };
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}') depth--;
    else if (text[i] === ',' && depth === 0) {
      push(text.slice(start, i));
      start = i + 1;
    }
  }
  push(text.slice(start));
  return out;
}

class GraphFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly subcode?: number,
    readonly type = 'OAuthException',
  ) {
    super(message);
  }
}

export class FakeGraphApi {
  readonly appId = `${Date.now()}`.slice(-15);
  readonly appSecret = randomBytes(16).toString('hex');
  readonly posts: FakePost[] = [];
  readonly tokens = new Map<string, TokenGrant>();
  readonly pageNames = new Map<string, string>();
  readonly users = new Map<string, FakeUser>();
  /** Every request as received (path and query: the fake may see the token; Loa's logs must not). */
  readonly requests: Array<{ method: string; path: string; authorization?: string }> = [];
  /** Usage headers sent with every answer (e.g. {"x-business-use-case-usage": '{"…":[…]}'}). */
  usageHeaders: Record<string, string> = {};
  /** When true, listing a Page's posts fails (Loa then cannot tell). */
  listingFails = false;
  /** The user who consents in the login dialog, by id (a test sets it before following the dialog's address). */
  loggedIn: string | null = null;
  /** [LOGIN] the person clicks "Cancel" in the dialog: the browser goes back with error=access_denied instead of a code. */
  denying = false;
  private readonly userTokens = new Map<string, { userId: string; longLived: boolean; scopes: string[] }>();
  private readonly codes = new Map<string, { userId: string; redirectUri: string; scopes: string[] }>();
  private readonly injections: Injection[] = [];
  private server!: http.Server;
  private sequence = 100;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        this.handle(req, res, body).catch((error: Error) => {
          if (error instanceof GraphFailure)
            return this.graphError(res, error.code, error.message, { subcode: error.subcode, type: error.type });
          this.send(res, 500, { error: { message: error.message, type: 'FakeError', code: 1 } });
        });
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

  /** A Page and a Page token for it (as pasted by an admin, or as /me/accounts gives it). */
  page(pageId: string, name: string, token: string, grant: Partial<TokenGrant> = {}): void {
    this.pageNames.set(pageId, name);
    this.tokens.set(token, { pageId, permissions: [...PAGE_SCOPES], ...grant });
  }

  /** A Facebook user managing `pages` (already registered with `page`), who can go through the login dialog. */
  user(id: string, pages: string[], grants?: string[]): void {
    this.users.set(id, { id, pages, grants });
  }

  inject(...injections: Injection[]): void {
    this.injections.push(...injections);
  }

  /** Posts whose message contains `text`: "never twice" is asserted with this. */
  postsWith(text: string): FakePost[] {
    return this.posts.filter((p) => p.message.includes(text));
  }

  /** [FEED] a post made on the Page by hand (or by another tool): Loa's reconciliation must not take it for its own. */
  addPost(post: Omit<FakePost, 'id'>): FakePost {
    this.sequence += 1;
    const made = { ...post, id: `${post.pageId}_${this.sequence}` };
    this.posts.push(made);
    return made;
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
      type: options.type ?? (code === 190 || code === 12 ? 'OAuthException' : 'GraphMethodException'),
      code,
      ...(options.subcode ? { error_subcode: options.subcode } : {}),
      fbtrace_id: `Fk${this.sequence}`,
    };
    this.send(res, options.in200 ? 200 : (options.status ?? STATUS_FOR_CODE[code] ?? 400), { error }, options.headers);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const authorization = req.headers.authorization;
    this.requests.push({ method: req.method ?? '', path: req.url ?? '', ...(authorization ? { authorization } : {}) });
    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    if (raw)
      Object.assign(
        params,
        (req.headers['content-type'] ?? '').includes('json')
          ? JSON.parse(raw)
          : Object.fromEntries(new URLSearchParams(raw)),
      );
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (!/^v\d+\.\d+$/.test(parts[0] ?? ''))
      return this.graphError(res, 2500, 'Unknown path components', { status: 400 });
    const [, node, edge] = parts as [string, string, string | undefined];
    if (node === 'dialog' && edge === 'oauth') return this.dialog(res, params);
    if (node === 'oauth' && edge === 'access_token') return this.send(res, 200, this.exchange(params));
    const token = /^(Bearer|OAuth) (.+)$/.exec(authorization ?? '')?.[2] ?? params.access_token ?? '';
    if (node === 'debug_token') return this.send(res, 200, this.debugToken(token, params.input_token ?? ''));
    const user = this.userTokens.get(token);
    if (user && node === 'me' && edge === 'accounts') return this.send(res, 200, this.accounts(user.userId));
    const grant = this.tokens.get(token);
    if (!grant) return this.graphError(res, 190, 'Invalid OAuth access token - Cannot parse access token');
    if (grant.revoked)
      return this.graphError(res, 190, 'Error validating access token: the session has been invalidated.', {
        subcode: grant.revoked.subcode,
      });

    if (req.method === 'POST' && (edge === 'feed' || edge === 'photos'))
      return this.post(req, res, node, edge, params, grant);
    if (req.method === 'GET' && edge === 'posts') return this.list(res, node, params);
    if (req.method === 'DELETE' && !edge) {
      const at = this.posts.findIndex((p) => p.id === node && p.pageId === grant.pageId);
      if (at >= 0) {
        this.posts.splice(at, 1);
        return this.send(res, 200, { success: true });
      }
    }
    if (req.method === 'GET' && node === 'me' && edge === 'permissions')
      return this.send(res, 200, {
        data: (grant.permissions ?? []).map((permission) => ({ permission, status: 'granted' })),
      });
    if (req.method === 'GET' && !edge && node.includes('_')) {
      const post = this.posts.find((p) => p.id === node);
      if (!post)
        return this.graphError(
          res,
          100,
          `Unsupported get request. Object with ID '${node}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
          { subcode: 33 },
        );
      return this.send(res, 200, this.postView(post, params.fields));
    }
    if (req.method === 'GET' && !edge && this.pageNames.has(node))
      return this.send(res, 200, { id: node, name: this.pageNames.get(node) });
    return this.graphError(
      res,
      100,
      `Unsupported ${req.method?.toLowerCase()} request. Object with ID '${node}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      { subcode: 33 },
    );
  }

  /** [POST] the fields asked for, checked as Graph does whether or not any post matches. */
  private checkFields(fields: string | undefined): Array<{ name: string; sub: string | null }> {
    const asked = parseFields(fields ?? 'id,message,created_time');
    for (const { name } of asked) {
      if (REMOVED_POST_FIELDS.has(name))
        throw new GraphFailure(12, `(#12) ${name} field is deprecated for versions v3.3 and higher`);
      if (!POST_FIELDS.has(name))
        throw new GraphFailure(100, `(#100) Tried accessing nonexisting field (${name}) on node type (PagePost)`);
    }
    return asked;
  }

  /** [POST][ATT] a post as Graph shows it for `fields`; a removed field is #12, an unknown one #100. */
  private postView(post: FakePost, fields: string | undefined): Record<string, unknown> {
    const asked = this.checkFields(fields);
    const number = post.id.split('_')[1];
    const permalink = `https://www.facebook.com/${post.pageId}/posts/${number}`;
    const shim = (u: string) => `https://l.facebook.com/l.php?u=${encodeURIComponent(u)}&h=AT${number}`;
    const attachment = post.link
      ? { type: 'share', url: shim(post.link), unshimmed_url: post.link, target: { url: shim(post.link) } }
      : post.imageUrl
        ? {
            type: 'photo',
            url: `https://www.facebook.com/photo.php?fbid=${number}`,
            target: { id: number, url: `https://www.facebook.com/photo.php?fbid=${number}` },
          }
        : null;
    const view: Record<string, unknown> = {};
    for (const { name, sub } of asked) {
      if (name === 'id') view.id = post.id;
      else if (name === 'message' && post.message) view.message = post.message;
      else if (name === 'created_time' || name === 'updated_time')
        view[name] = post.createdAt.toISOString().replace(/\.\d{3}Z$/, '+0000');
      else if (name === 'permalink_url') view.permalink_url = permalink;
      else if (name === 'attachments' && attachment) {
        const keep = sub ? parseFields(sub).map((f) => f.name) : Object.keys(attachment);
        view.attachments = { data: [Object.fromEntries(Object.entries(attachment).filter(([k]) => keep.includes(k)))] };
      }
    }
    return view;
  }

  private async post(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    pageId: string,
    edge: string,
    params: Record<string, string>,
    grant: TokenGrant,
  ): Promise<void> {
    if (grant.pageId !== pageId || !(grant.permissions ?? []).includes('pages_manage_posts'))
      return this.graphError(res, 200, "(#200) The user hasn't authorized the application to perform this action");
    const injection = this.injections.shift();
    const accept = (): FakePost =>
      this.addPost({
        pageId,
        message: edge === 'photos' ? (params.caption ?? '') : (params.message ?? ''),
        createdAt: new Date(),
        ...(params.link ? { link: params.link } : {}),
        ...(edge === 'photos' ? { imageUrl: params.url } : {}),
      });
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
    this.checkFields(params.fields);
    const since = params.since ? Number(params.since) * 1000 : -Infinity;
    const until = params.until ? Number(params.until) * 1000 : Infinity;
    const limit = Math.min(Number(params.limit ?? 25), 100);
    const start = params.after ? Number(Buffer.from(params.after, 'base64').toString()) : 0;
    const matching = this.posts
      .filter((p) => p.pageId === pageId && p.createdAt.getTime() >= since && p.createdAt.getTime() <= until)
      .reverse();
    // Every post is shown through the same field check: a removed field fails the whole listing (#12).
    const data = matching.slice(start, start + limit).map((p) => this.postView(p, params.fields));
    const next = start + limit < matching.length ? Buffer.from(String(start + limit)).toString('base64') : undefined;
    this.send(res, 200, {
      data,
      paging: {
        cursors: { before: Buffer.from(String(start)).toString('base64'), ...(next ? { after: next } : {}) },
        ...(next ? { next: `${this.url}/v24.0/${pageId}/posts?after=${next}` } : {}),
      },
    });
  }

  /** [LOGIN] the consent dialog: the logged-in user grants, and the browser goes back with code and state. */
  private dialog(res: http.ServerResponse, params: Record<string, string>): void {
    const user = this.loggedIn ? this.users.get(this.loggedIn) : undefined;
    if (params.client_id !== this.appId || !params.redirect_uri || !user) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      return void res.end(!user ? 'no user logged in to the fake' : 'Invalid App ID');
    }
    if (this.denying) {
      // [LOGIN] "Handle Login Dialog Response": a person who declines comes back with error, error_code,
      // error_description and error_reason (user_denied), and the state.
      const back = new URL(params.redirect_uri);
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_code', '200');
      back.searchParams.set('error_description', 'Permissions error');
      back.searchParams.set('error_reason', 'user_denied');
      if (params.state) back.searchParams.set('state', params.state);
      res.writeHead(302, { location: back.toString() });
      return void res.end();
    }
    const code = `code-${randomBytes(12).toString('hex')}`;
    const asked = (params.scope ?? '').split(',').filter(Boolean);
    this.codes.set(code, {
      userId: user.id,
      redirectUri: params.redirect_uri,
      scopes: asked.filter((s) => (user.grants ?? PAGE_SCOPES).includes(s)),
    });
    const back = new URL(params.redirect_uri);
    back.searchParams.set('code', code);
    if (params.state) back.searchParams.set('state', params.state);
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  /** [LOGIN] code → short-lived user token; fb_exchange_token → long-lived user token (~60 days). */
  private exchange(params: Record<string, string>): object {
    if (params.client_id !== this.appId || params.client_secret !== this.appSecret)
      throw new GraphFailure(101, 'Error validating application. Invalid application ID or secret.');
    if (params.grant_type === 'fb_exchange_token') {
      const short = this.userTokens.get(params.fb_exchange_token ?? '');
      if (!short) throw new GraphFailure(190, 'Invalid OAuth access token - Cannot parse access token');
      const token = `EAAL${randomBytes(20).toString('hex')}`;
      this.userTokens.set(token, { ...short, longLived: true });
      return { access_token: token, token_type: 'bearer', expires_in: 5_183_944 };
    }
    const code = this.codes.get(params.code ?? '');
    if (!code) throw new GraphFailure(100, 'Invalid verification code format.', 36009);
    if (code.redirectUri !== params.redirect_uri)
      throw new GraphFailure(
        100,
        'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
        36008,
      );
    this.codes.delete(params.code!);
    const token = `EAAS${randomBytes(20).toString('hex')}`;
    this.userTokens.set(token, { userId: code.userId, longLived: false, scopes: code.scopes });
    return { access_token: token, token_type: 'bearer', expires_in: 5_400 };
  }

  /** [LOGIN] the Pages a user manages, each with a Page token (never expiring when the user token is long-lived). */
  private accounts(userId: string): object {
    const user = this.users.get(userId)!;
    const scopes = [...this.userTokens.values()].find((t) => t.userId === userId)?.scopes ?? [];
    if (!scopes.includes('pages_show_list')) return { data: [] };
    return {
      data: user.pages.map((pageId) => {
        const token = `EAAP${randomBytes(20).toString('hex')}`;
        this.tokens.set(token, { pageId, permissions: scopes });
        return {
          id: pageId,
          name: this.pageNames.get(pageId) ?? pageId,
          access_token: token,
          tasks: ['CREATE_CONTENT', 'MANAGE'],
        };
      }),
    };
  }

  /** [LOGIN] what a token is: asked with the app token app_id|app_secret. */
  private debugToken(appToken: string, input: string): object {
    if (appToken !== `${this.appId}|${this.appSecret}`)
      throw new GraphFailure(190, 'Invalid OAuth access token signature.');
    const page = this.tokens.get(input);
    const user = this.userTokens.get(input);
    if (!page && !user)
      return { data: { is_valid: false, error: { code: 190, message: 'Invalid OAuth access token.' }, scopes: [] } };
    return {
      data: page
        ? {
            app_id: this.appId,
            type: 'PAGE',
            application: 'Loa',
            profile_id: page.pageId,
            is_valid: !page.revoked,
            expires_at: 0,
            data_access_expires_at: Math.floor(Date.now() / 1000) + 90 * 86_400,
            scopes: page.permissions ?? [],
          }
        : {
            app_id: this.appId,
            type: 'USER',
            application: 'Loa',
            user_id: user!.userId,
            is_valid: true,
            expires_at: Math.floor(Date.now() / 1000) + (user!.longLived ? 5_183_944 : 5_400),
            scopes: user!.scopes,
          },
    };
  }
}
