import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { DateTime } from 'luxon';

const ZONE = 'Asia/Ho_Chi_Minh';

/**
 * A Zalo Official Account as a real HTTP server on loopback, for the demo, the tests and the chaos run, behaving as
 * Zalo documents (not as Loa expects). Each behaviour names its source:
 * - [API] Official Account API v2.0 (developers.zalo.me/docs/official-account): failures come with HTTP 200 and a
 *   negative `error`; the access token travels in the `access_token` header; `article/create` answers a job token
 *   that `article/verify` turns into an article id once processed (-214 meanwhile); `oa/getoa` tells the OA's name,
 *   verification, followers, `package_name` and `package_valid_through_date` (dd/MM/yyyy); a per-minute request
 *   limit answers -32 with X-RateLimit-* headers.
 * - [TOKEN] an expired access token is answered -124 (many OAs answer -124 rather than -216/-220, which stay
 *   for an invalid token); the access token lives 25 hours (`expires_in` 90000).
 * - [OAUTH] OAuth v4 for Official Accounts ("xác thực và ủy quyền cho ứng dụng"): /v4/oa/permission?app_id&
 *   redirect_uri&code_challenge&state sends the admin back with `code`, `oa_id` and `state`; POST
 *   /v4/oa/access_token (form, header secret_key) with grant_type=authorization_code and the `code_verifier` whose
 *   base64url SHA-256 is the challenge, or grant_type=refresh_token; a refresh token works once; a code once.
 * - [BC] Zalo's broadcast guide for OA owners ("Giải pháp sử dụng tính năng Broadcast"; help centre FAQ): the limit is
 *   per follower: at most one broadcast a day and 1, 4 or 6 a month by package (Cơ bản, Nâng cao/Dùng thử, Premium),
 *   a follower's month restarting on the 1st; a broadcast that reaches nobody is still accepted (it shows as sent to
 *   0); the OA's own allowance restarts on its package's renewal day (-211 when used up); no broadcast from 22:00 to
 *   06:00 Vietnam time (-234), by a clock the test controls.
 */
export interface FakeArticle {
  id: string;
  title: string;
  author: string;
  description: string;
  cover: string;
  body: unknown[];
  status: string;
  comment: string;
  createdAt: Date;
}

interface Job {
  article: FakeArticle;
  readyAt: number;
}

export interface InjectedError {
  code: number;
  message: string;
}

export class FakeZalo {
  readonly appId = 'app-loa-test';
  readonly secretKey = `secret-${randomBytes(6).toString('hex')}`;
  /** The fake's clock: the night window and token expiry read it. Tests move it. */
  now: () => Date = () => new Date();
  /** How long an article stays "being processed" after create. */
  processingDelayMs = 300;
  /** [BC] the OA's package: the number of broadcasts each follower may receive in a month. */
  packageName = 'Gói Nâng cao';
  perFollowerMonthly = 4;
  /** [BC] the OA's own allowance of broadcasts per package month, and the day the package renews. */
  oaBroadcastsPerCycle = 40;
  renewalDay = 22;
  /** The OA's followers and when they followed (a broadcast reaches those still under their limits). */
  followers: Array<{ id: string; since: Date }> = Array.from({ length: 10 }, (_, i) => ({
    id: `u${i + 1}`,
    since: new Date('2020-01-01T00:00:00Z'),
  }));
  /** Requests allowed per minute for one access token; beyond it -32. */
  requestsPerMinute = 1000;
  /** Access token lifetime in seconds (Zalo: 25 hours). */
  accessLifetimeS = 90_000;

  readonly articles: FakeArticle[] = [];
  /** Every broadcast Zalo accepted, with how many followers it reached (0 is possible and silent). */
  readonly broadcasts: Array<{ articleId: string; at: Date; reached: number }> = [];
  /** [OAUTH] the OA whose admin consents in the permission screen; a test sets it before following the address. */
  consenting = true;
  private readonly codes = new Map<string, { challenge: string; redirectUri: string }>();
  /** When each follower received a broadcast. */
  private readonly received = new Map<string, Date[]>();
  /** Refreshes the OAuth server accepted / refused. */
  refreshes = { accepted: 0, refused: 0 };
  /** Every request: method and path (query included), and the headers' names; for "no token in a URL" checks. */
  readonly requests: Array<{ method: string; url: string }> = [];

  private readonly accessTokens = new Map<string, { expiresAt: number; revoked: boolean }>();
  private readonly refreshTokens = new Map<string, { used: boolean }>();
  private readonly jobs = new Map<string, Job>();
  private readonly injected = new Map<string, InjectedError[]>();
  private readonly delays = new Map<string, number>();
  private readonly dropAfter = new Set<string>();
  private readonly minuteCounts = new Map<string, number>();
  private server?: http.Server;
  private nextArticle = 1;
  url = '';

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: Error) => {
        res.statusCode = 500;
        res.end(error.message);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A fresh, valid token pair, as an admin gets it from Zalo's consent screen. */
  issuePair(): { accessToken: string; refreshToken: string } {
    const accessToken = `at-${randomBytes(12).toString('hex')}`;
    const refreshToken = `rt-${randomBytes(12).toString('hex')}`;
    this.accessTokens.set(accessToken, {
      expiresAt: this.now().getTime() + this.accessLifetimeS * 1000,
      revoked: false,
    });
    this.refreshTokens.set(refreshToken, { used: false });
    return { accessToken, refreshToken };
  }

  isValidAccess(token: string): boolean {
    const entry = this.accessTokens.get(token);
    return !!entry && !entry.revoked && entry.expiresAt > this.now().getTime();
  }

  isValidRefresh(token: string): boolean {
    return this.refreshTokens.get(token)?.used === false;
  }

  /** Makes Zalo consider this access token invalid (as after a password change or an app removal). */
  revokeAccess(token: string): void {
    const entry = this.accessTokens.get(token);
    if (entry) entry.revoked = true;
  }

  /** Marks a refresh token as refused (revoked by the OA admin). */
  revokeRefresh(token: string): void {
    this.refreshTokens.set(token, { used: true });
  }

  /** The next calls to `endpoint` (e.g. "/v2.0/article/create") answer these errors, in order. */
  failNext(endpoint: string, ...errors: InjectedError[]): void {
    this.injected.set(endpoint, [...(this.injected.get(endpoint) ?? []), ...errors]);
  }

  /** Every call to `endpoint` waits this long before answering. */
  delay(endpoint: string, ms: number): void {
    this.delays.set(endpoint, ms);
  }

  /** The next call to `endpoint` is carried out, then the connection is dropped without an answer. */
  dropAfterNext(endpoint: string): void {
    this.dropAfter.add(endpoint);
  }

  /** Articles created with this exact title: the "never twice" counter. */
  createdWithTitle(title: string): number {
    return this.articles.filter((a) => a.title === title).length;
  }

  articleUrl(id: string): string {
    return `https://zalo.me/oa/article/${id}`;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const endpoint = url.pathname;
    this.requests.push({ method: req.method ?? '', url: req.url ?? '' });
    const raw = await new Promise<string>((resolve) => {
      let data = '';
      req.on('data', (chunk: Buffer) => (data += chunk.toString()));
      req.on('end', () => resolve(data));
    });
    const wait = this.delays.get(endpoint);
    if (wait) await new Promise((r) => setTimeout(r, wait));

    if (endpoint === '/v4/oa/access_token') {
      const answer = this.token(req, new URLSearchParams(raw));
      // A lost answer (the network, not Zalo): the grant was carried out, the pair never arrives.
      if (this.dropAfter.delete(endpoint)) return void req.socket.destroy();
      return this.send(res, answer);
    }
    if (endpoint === '/v4/oa/permission') return this.permission(res, url.searchParams);
    const image = /^\/images\/(\d+)\.jpg$/.exec(endpoint);
    if (image) return this.sendImage(req, res, Number(image[1]));

    const token = String(req.headers['access_token'] ?? '');
    const entry = this.accessTokens.get(token);
    const minute = `${token}:${Math.floor(this.now().getTime() / 60_000)}`;
    const used = (this.minuteCounts.get(minute) ?? 0) + 1;
    this.minuteCounts.set(minute, used);
    res.setHeader('X-RateLimit-Limit', String(this.requestsPerMinute));
    res.setHeader('X-RateLimit-Remain', String(Math.max(0, this.requestsPerMinute - used)));

    const injected = this.injected.get(endpoint)?.shift();
    if (injected) return this.send(res, { error: injected.code, message: injected.message });
    if (!entry || entry.revoked) return this.send(res, { error: -216, message: 'Access token is invalid' });
    if (entry.expiresAt <= this.now().getTime())
      return this.send(res, { error: -124, message: 'Access token is invalid or expired' });
    if (used > this.requestsPerMinute)
      return this.send(res, { error: -32, message: 'Exceeded the request limit per minute' });

    const answer = this.route(req.method ?? 'GET', endpoint, url.searchParams, raw);
    if (this.dropAfter.delete(endpoint)) {
      req.socket.destroy();
      return;
    }
    this.send(res, answer);
  }

  private route(method: string, endpoint: string, query: URLSearchParams, raw: string): object {
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    if (method === 'POST' && endpoint === '/v2.0/article/create') return this.create(body);
    if (method === 'POST' && endpoint === '/v2.0/article/verify') {
      const job = this.jobs.get(String(body.token));
      if (!job) return { error: -201, message: 'Token is invalid' };
      // Processing takes real time, whatever the test's clock says.
      if (Date.now() < job.readyAt) return { error: -214, message: 'Article is being processed' };
      return { error: 0, message: 'Success', data: { id: job.article.id } };
    }
    if (method === 'GET' && endpoint === '/v2.0/article/getslice') {
      const offset = Number(query.get('offset') ?? 0);
      const limit = Math.min(10, Number(query.get('limit') ?? 5));
      const newest = [...this.articles].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
      const medias = newest.slice(offset, offset + limit).map((a) => ({
        id: a.id,
        type: 'normal',
        title: a.title,
        status: a.status,
        link: this.articleUrl(a.id),
        thumb: a.cover,
        create_date: a.createdAt.getTime(),
        total_view: 0,
        total_share: 0,
      }));
      return { error: 0, message: 'Success', data: { medias, total: this.articles.length } };
    }
    if (method === 'POST' && endpoint === '/v2.0/oa/message') return this.broadcast(body);
    if (method === 'GET' && endpoint === '/v2.0/oa/getoa') {
      return {
        error: 0,
        message: 'Success',
        data: {
          oaid: '1234567890',
          package_name: this.packageName,
          package_valid_through_date: this.validThrough(),
          name: 'UBND xã Tân Lập',
          description: 'Trang tin xã',
          is_verified: true,
          oa_type: 2,
          num_follower: 1520,
        },
      };
    }
    return { error: -201, message: `Unknown endpoint ${method} ${endpoint}` };
  }

  private create(body: Record<string, unknown>): object {
    const cover = body.cover as { photo_url?: unknown } | undefined;
    if (
      body.type !== 'normal' ||
      typeof body.title !== 'string' ||
      typeof body.author !== 'string' ||
      typeof body.description !== 'string' ||
      !Array.isArray(body.body) ||
      typeof cover?.photo_url !== 'string'
    ) {
      return { error: -201, message: 'Parameters are invalid' };
    }
    if (body.title.length > 150 || body.author.length > 50 || body.description.length > 300)
      return { error: -210, message: 'Parameter exceeds allowed limit' };
    const article: FakeArticle = {
      id: `art${this.nextArticle++}${randomBytes(3).toString('hex')}`,
      title: body.title,
      author: body.author,
      description: body.description,
      cover: cover.photo_url,
      body: body.body,
      status: String(body.status),
      comment: String(body.comment),
      createdAt: this.now(),
    };
    // The article exists (and is listed) at once; verify gives its id only once it has been processed.
    this.articles.push(article);
    const token = randomBytes(24).toString('base64');
    this.jobs.set(token, { article, readyAt: Date.now() + this.processingDelayMs });
    return { error: 0, message: 'Success', data: { token } };
  }

  private broadcast(body: Record<string, unknown>): object {
    const payload = (
      body.message as { attachment?: { payload?: { elements?: Array<{ attachment_id?: string }> } } } | undefined
    )?.attachment?.payload;
    const articleId = payload?.elements?.[0]?.attachment_id;
    if (!articleId || !this.articles.some((a) => a.id === articleId))
      return { error: -201, message: 'Parameters are invalid' };
    const local = DateTime.fromJSDate(this.now()).setZone(ZONE);
    if (local.hour >= 22 || local.hour < 6) return { error: -234, message: 'Broadcast is not allowed at this time' };
    // [BC] the OA's allowance counts per package month, from the renewal day.
    const cycleStart = this.cycleStart(local);
    const inCycle = this.broadcasts.filter((b) => b.at >= cycleStart.toJSDate()).length;
    if (inCycle >= this.oaBroadcastsPerCycle) return { error: -211, message: 'Out of quota' };
    // [BC] each follower: one a day, `perFollowerMonthly` a calendar month; the others are skipped without a word.
    const day = local.toISODate();
    const month = local.toFormat('yyyy-LL');
    const reached = this.followers.filter((f) => {
      const had = this.received.get(f.id) ?? [];
      const at = had.map((d) => DateTime.fromJSDate(d).setZone(ZONE));
      return (
        !at.some((d) => d.toISODate() === day) &&
        at.filter((d) => d.toFormat('yyyy-LL') === month).length < this.perFollowerMonthly
      );
    });
    for (const f of reached) this.received.set(f.id, [...(this.received.get(f.id) ?? []), this.now()]);
    this.broadcasts.push({ articleId, at: this.now(), reached: reached.length });
    return { error: 0, message: 'Success', data: { message_id: `msg-${randomBytes(6).toString('hex')}` } };
  }

  /** [BC] the first day of the package month `local` falls in (the renewal day, clamped to short months). */
  private cycleStart(local: DateTime): DateTime {
    const on = (d: DateTime) => d.set({ day: Math.min(this.renewalDay, d.daysInMonth ?? 28) }).startOf('day');
    const thisMonth = on(local);
    return thisMonth <= local ? thisMonth : on(local.minus({ months: 1 }).startOf('month'));
  }

  /** [API] package_valid_through_date: the next renewal, dd/MM/yyyy. */
  private validThrough(): string {
    const local = DateTime.fromJSDate(this.now()).setZone(ZONE);
    return this.cycleStart(local).plus({ months: 1 }).toFormat('dd/LL/yyyy');
  }

  /** [OAUTH] the OA admin's consent: back to redirect_uri with code, oa_id and state. */
  private permission(res: http.ServerResponse, query: URLSearchParams): void {
    const redirectUri = query.get('redirect_uri');
    const challenge = query.get('code_challenge');
    if (query.get('app_id') !== this.appId || !redirectUri || !challenge || !this.consenting) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      return void res.end('Ứng dụng không hợp lệ hoặc quản trị viên OA từ chối');
    }
    const code = `code-${randomBytes(12).toString('hex')}`;
    this.codes.set(code, { challenge, redirectUri });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('oa_id', '1234567890');
    if (query.get('state')) back.searchParams.set('state', query.get('state')!);
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  /** [OAUTH] POST /v4/oa/access_token: the authorization code with its PKCE verifier, or a refresh token. */
  private token(req: http.IncomingMessage, form: URLSearchParams): object {
    if (form.get('grant_type') !== 'authorization_code') return this.refresh(req, form);
    if (req.headers['secret_key'] !== this.secretKey || form.get('app_id') !== this.appId)
      return { error: -14002, error_name: 'Invalid app', error_reason: 'app_id or secret_key is invalid' };
    const code = this.codes.get(form.get('code') ?? '');
    if (!code)
      return { error: -14003, error_name: 'Invalid code', error_reason: 'authorization code is invalid or was used' };
    const verifier = form.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge)
      return {
        error: -14019,
        error_name: 'Invalid code verifier',
        error_reason: 'code_verifier does not match code_challenge',
      };
    this.codes.delete(form.get('code')!);
    const pair = this.issuePair();
    return {
      access_token: pair.accessToken,
      refresh_token: pair.refreshToken,
      expires_in: String(this.accessLifetimeS),
    };
  }

  private refresh(req: http.IncomingMessage, form: URLSearchParams): object {
    if (req.headers['secret_key'] !== this.secretKey || form.get('app_id') !== this.appId) {
      this.refreshes.refused++;
      return { error: -14002, error_name: 'Invalid app', error_reason: 'app_id or secret_key is invalid' };
    }
    const refreshToken = form.get('refresh_token') ?? '';
    if (form.get('grant_type') !== 'refresh_token' || !this.isValidRefresh(refreshToken)) {
      this.refreshes.refused++;
      return {
        error: -14014,
        error_name: 'Invalid refresh token',
        error_reason: 'refresh token is invalid or was used',
      };
    }
    this.refreshTokens.set(refreshToken, { used: true });
    this.refreshes.accepted++;
    const pair = this.issuePair();
    return {
      access_token: pair.accessToken,
      refresh_token: pair.refreshToken,
      expires_in: String(this.accessLifetimeS),
    };
  }

  /** An image of `bytes` bytes at /images/<bytes>.jpg, so tests can offer images of any size. */
  imageUrl(bytes: number): string {
    return `${this.url}/images/${bytes}.jpg`;
  }

  private sendImage(req: http.IncomingMessage, res: http.ServerResponse, bytes: number): void {
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(bytes) });
    res.end(req.method === 'HEAD' ? undefined : Buffer.alloc(bytes));
  }

  private send(res: http.ServerResponse, body: object): void {
    res.statusCode = 200;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(body));
  }
}
