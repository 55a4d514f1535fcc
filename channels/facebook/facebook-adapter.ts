import type { ChannelAccount, StartingChannel, Unit } from '../../src/domain/channel';
import type { PlatformPost } from '../../src/domain/platform-post';
import { templateData, type Templates } from '../template';
import {
  type AttemptContext,
  type ChannelAdapter,
  ChannelError,
  type ChannelServices,
  type PostContext,
  type PublishOutcome,
  type Reconciliation,
  SIBLING_IN_FLIGHT,
  type TakeDownContext,
  type TakeDownOutcome,
} from '../types';
import { type FacebookApp, facebookAppFromEnv, FacebookConnector } from './connect';
import { GraphClient, type GraphTarget, scrubToken } from './graph-client';
import { classify, explain, graphErrorOf, isPageLimit, reconnectHint, traceOf } from './graph-errors';
import { type ListedPost, matchPosts } from './match-posts';
import { draftPost, type PostDraft } from './post-draft';
import { postListingFields } from './post-fields';
import { PAGE_THROTTLED_DEFAULT_MS, readUsage, slowDownMs, THROTTLED_DEFAULT_MS } from './usage';

export interface FacebookOptions {
  target: GraphTarget;
  /** Bound on each Graph call (LOA_FACEBOOK_TIMEOUT_MS, default 15 s); a post call that runs out is an unknown outcome. */
  timeoutMs: number;
  /** A one-unit set-up's Page from the environment (LOA_FACEBOOK_PAGE_ID / LOA_FACEBOOK_PAGE_TOKEN). */
  envPage: { pageId: string; token: string } | null;
  /** The app Facebook Login connects Pages with (LOA_FACEBOOK_APP_ID/SECRET, LOA_FACEBOOK_DIALOG_URL). */
  app?: FacebookApp;
}

export function facebookOptionsFromEnv(target: GraphTarget, env: NodeJS.ProcessEnv = process.env): FacebookOptions {
  const timeout = Number(env.LOA_FACEBOOK_TIMEOUT_MS);
  return {
    target,
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : 15_000,
    envPage:
      env.LOA_FACEBOOK_PAGE_ID && env.LOA_FACEBOOK_PAGE_TOKEN
        ? { pageId: env.LOA_FACEBOOK_PAGE_ID.trim(), token: env.LOA_FACEBOOK_PAGE_TOKEN.trim() }
        : null,
    app: facebookAppFromEnv(env),
  };
}

/** Default pace of one Page: conservative, so a busy plan never looks like spam to Facebook. */
export const FACEBOOK_POSTS_PER_HOUR = 10;
/** How far around the attempts' times `findExisting` looks (clocks of Loa and Facebook differ a little). */
const WINDOW_MARGIN_MS = 10 * 60_000;
/** How many pages of 100 recent posts `findExisting` reads before it says it cannot tell. */
const LISTING_PAGES = 5;
/**
 * After 368 ("temporarily blocked", Graph API "Handling Errors": wait and retry) with no post of Loa's on the Page:
 * how long the Page is held. Facebook gives no time; its blocks last from minutes to days, so the wait is long and
 * the next attempt looks for the post again before sending.
 */
export const BLOCKED_WAIT_MS = 60 * 60_000;

function pageIdOf(channel: ChannelAccount): string {
  const pageId = channel.settings.pageId;
  if (typeof pageId !== 'string' || !/^\d{1,32}$/.test(pageId))
    throw new ChannelError('bad-content', `Kênh ${channel.id}: cài đặt pageId thiếu hoặc không phải mã số Trang`);
  return pageId;
}

/**
 * A Facebook Page, through the Graph API (channels/facebook/graph-client.ts). Not idempotent: a
 * second call is a second public post, so an answer that does not prove the outcome is `unknown`, and
 * `findExisting` looks for exactly what Loa sent among the Page's recent posts before anything is sent again.
 */
export class FacebookAdapter implements ChannelAdapter {
  readonly platform = 'facebook' as const;
  readonly idempotent = false;
  readonly postsPerHour = FACEBOOK_POSTS_PER_HOUR;
  /** Graph's rate limits and temporary blocks hold the Page's next posts (see publish). */
  readonly heldByPlatform = true;
  private readonly graph: GraphClient;
  /** Facebook Login for the installation's app: the desk's and the CLI's "connect" (channels/facebook/connect.ts). */
  readonly connector: FacebookConnector;

  /**
   * One-unit set-up: LOA_FACEBOOK_PAGE_ID and LOA_FACEBOOK_PAGE_TOKEN give the default unit a "facebook" channel for
   * that Page. Only the Page id is stored; the token stays in the environment, read when publishing.
   */
  startingChannel(unit: Unit, env: NodeJS.ProcessEnv): StartingChannel | null {
    const pageId = env.LOA_FACEBOOK_PAGE_ID?.trim();
    if (!pageId || !env.LOA_FACEBOOK_PAGE_TOKEN) return null;
    return {
      channel: { id: 'facebook', platform: 'facebook', name: `Trang Facebook ${unit.name}`, settings: { pageId } },
    };
  }

  constructor(
    private readonly templates: Templates,
    private readonly options: FacebookOptions,
    private readonly services?: ChannelServices,
  ) {
    this.graph = new GraphClient(options.target, options.timeoutMs);
    this.connector = new FacebookConnector(
      options.target,
      options.app ?? { dialogUrl: 'https://www.facebook.com' },
      options.timeoutMs,
    );
  }

  render(post: PostContext): Promise<string> {
    return this.templates.render('facebook.liquid', templateData(post));
  }

  checkSettings(settings: Record<string, unknown>): void {
    if (typeof settings.pageId !== 'string' || !/^\d{1,32}$/.test(settings.pageId))
      throw new Error('pageId: cần mã số của Trang Facebook, dạng chuỗi, ví dụ {"pageId":"104512345678901"}');
    const known = new Set(['pageId', 'postsPerHour']);
    const unknown = Object.keys(settings).filter((k) => !known.has(k));
    if (unknown.length)
      throw new Error(
        `${unknown[0]}: không phải cài đặt của kênh Facebook (có: pageId, postsPerHour); token nhập bằng --secret-stdin, không để trong cài đặt`,
      );
    if (
      settings.postsPerHour !== undefined &&
      !(
        Number.isInteger(settings.postsPerHour) &&
        (settings.postsPerHour as number) >= 1 &&
        (settings.postsPerHour as number) <= 200
      )
    )
      throw new Error('postsPerHour: cần số nguyên từ 1 đến 200 (số bài tối đa mỗi giờ cho Trang này)');
  }

  async publish(post: PostContext, rendered: string, attempt: AttemptContext): Promise<PublishOutcome> {
    const draft = draftPost(post, rendered);
    const pageId = pageIdOf(post.channel);
    const token = await this.token(post.channel);
    const params =
      draft.kind === 'photo'
        ? { url: draft.imageUrl, caption: draft.message }
        : { message: draft.message, ...(draft.link ? { link: draft.link } : {}) };
    const answer = await this.graph.call(
      token,
      'POST',
      [pageId, draft.kind === 'photo' ? 'photos' : 'feed'],
      params,
      attempt.signal,
    );

    if (answer.kind === 'no-answer') {
      if (!answer.sent)
        throw new ChannelError(
          'retry-later',
          `Không kết nối được Facebook (${answer.code}); bài chưa được gửi, Loa thử lại sau.`,
        );
      return {
        status: 'unknown',
        reason: `Không rõ Facebook đã nhận bài chưa: ${answer.code === 'ETIMEDOUT' ? 'quá thời gian chờ trả lời' : `kết nối bị ngắt (${answer.code})`} sau khi bài đã gửi đi; Loa sẽ đối chiếu với các bài gần đây của Trang trước khi đăng lại.`,
      };
    }
    const usage = readUsage(answer.headers);
    const error = graphErrorOf(answer.body);
    if (!error && answer.status >= 200 && answer.status < 300) {
      const body = answer.body as { id?: unknown; post_id?: unknown };
      const postId =
        typeof body.post_id === 'string'
          ? body.post_id
          : typeof body.id === 'string' && draft.kind === 'feed'
            ? body.id
            : null;
      if (!postId)
        return {
          status: 'unknown',
          reason:
            'Facebook trả lời thành công nhưng không có mã bài đăng; Loa sẽ đối chiếu với các bài gần đây của Trang.',
        };
      // The post exists from here on: its id goes to the ledger before any follow-up call (channels/types.ts, rule 6),
      // so a pace hold or a permalink lookup that fails afterwards never loses it (the worker keeps the post).
      await attempt.recordPost('post', postId, `https://www.facebook.com/${postId}`);
      // Near a limit: slow this Page down before Facebook throttles it (usage.ts: hourly and 24-hour windows).
      const hold = slowDownMs(usage);
      if (hold > 0) await this.services?.holdAccount(post.channel.id, hold);
      return {
        status: 'sent',
        externalId: postId,
        externalUrl: await this.permalink(token, postId, attempt.signal),
        content: draft.message,
      };
    }

    const verdict = classify(error, answer.status);
    const message = scrubToken(
      explain(verdict, error, answer.status, {
        channelId: post.channel.id,
        field: draft.kind === 'photo' ? 'ảnh (image) hoặc chú thích' : 'nội dung (message) hoặc đường link (link)',
      }),
      token,
    );
    const trace = traceOf(error, answer.status);
    switch (verdict) {
      case 'reconnect':
      case 'not-found':
        // The channel cannot post at all until its Page or token is fixed: pause it rather than fail every item.
        throw new ChannelError('reconnect', message, undefined, trace);
      case 'throttled': {
        const waitMs =
          usage.regainMs > 0 ? usage.regainMs : isPageLimit(error) ? PAGE_THROTTLED_DEFAULT_MS : THROTTLED_DEFAULT_MS;
        // Every worker holds this Page, not only this job: its other publications would hit the same limit.
        await this.services?.holdAccount(post.channel.id, waitMs);
        throw new ChannelError('retry-later', message, waitMs, trace);
      }
      case 'transient':
      case 'duplicate':
      case 'blocked': {
        // Facebook may have posted anyway (a 5xx after accepting), already has it (506), or says 368 for "you've
        // already posted this" as well as for a block: look before deciding.
        const found = await this.lookFor(token, pageId, draft, post, attempt);
        if (found.status === 'found')
          return {
            status: 'sent',
            externalId: found.externalId,
            externalUrl: found.externalUrl,
            content: found.content,
          };
        if (verdict === 'duplicate') throw new ChannelError('refused', message, undefined, trace);
        if (found.status === 'cannot-tell') return { status: 'unknown', reason: `${message} ${found.reason}`, trace };
        // Absent: a listing can lag behind a post just made, so the next attempt looks again before it sends (rule 7).
        if (verdict === 'blocked') {
          // The block is the Page's, not this item's: hold the whole Page, then look again before sending.
          await this.services?.holdAccount(post.channel.id, BLOCKED_WAIT_MS);
          throw new ChannelError('retry-later', message, BLOCKED_WAIT_MS, trace, true);
        }
        throw new ChannelError('retry-later', message, undefined, trace, true);
      }
      case 'bad-link':
      case 'bad-content':
        throw new ChannelError('bad-content', message, undefined, trace);
      case 'outdated':
      case 'refused':
        throw new ChannelError('refused', message, undefined, trace);
    }
  }

  async findExisting(post: PostContext, rendered: string, attempt: AttemptContext): Promise<Reconciliation> {
    let draft: PostDraft;
    let token: string;
    let pageId: string;
    try {
      draft = draftPost(post, rendered);
      pageId = pageIdOf(post.channel);
      token = await this.token(post.channel);
    } catch (error) {
      return { status: 'cannot-tell', reason: `Không kiểm tra được trên Facebook: ${(error as Error).message}` };
    }
    return this.lookFor(token, pageId, draft, post, attempt);
  }

  /**
   * Looks among the Page's posts in the attempts' time window for exactly what Loa sent (match-posts.ts): the same
   * message, and the same link among the post's attachments for a link post. Never a fuzzy guess: a listing it
   * cannot read fully, or more than one post that could be Loa's, is `cannot-tell`.
   */
  private async lookFor(
    token: string,
    pageId: string,
    draft: PostDraft,
    post: PostContext,
    attempt: AttemptContext,
  ): Promise<Reconciliation> {
    const starts = [attempt.startedAt, post.publication.scheduledAt, ...attempt.earlier.map((a) => a.startedAt)].map(
      (d) => d.getTime(),
    );
    const since = Math.floor((Math.min(...starts) - WINDOW_MARGIN_MS) / 1000);
    const until = Math.ceil((Date.now() + WINDOW_MARGIN_MS) / 1000);
    const listed: ListedPost[] = [];
    let after: string | undefined;
    for (let page = 0; page < LISTING_PAGES; page += 1) {
      const params = { fields: postListingFields(), since, until, limit: 100, after };
      const answer = await this.graph.call(token, 'GET', [pageId, 'posts'], params, attempt.signal);
      if (answer.kind === 'no-answer')
        return {
          status: 'cannot-tell',
          reason: `Không đọc được danh sách bài của Trang (${answer.code}); cần người kiểm tra trên Trang trước khi đăng lại (loa retry).`,
        };
      const error = graphErrorOf(answer.body);
      if (error || answer.status >= 300) {
        const why = error
          ? explain(classify(error, answer.status), error, answer.status, {
              channelId: post.channel.id,
              field: 'danh sách bài',
            })
          : `HTTP ${answer.status}`;
        return {
          status: 'cannot-tell',
          reason: scrubToken(
            `Facebook không cho đọc danh sách bài của Trang (${why}); cần người kiểm tra trên Trang trước khi đăng lại (loa retry).`,
            token,
          ),
        };
      }
      const body = answer.body as { data?: ListedPost[]; paging?: { next?: string; cursors?: { after?: string } } };
      listed.push(...(body.data ?? []));
      after = body.paging?.next ? body.paging.cursors?.after : undefined;
      if (!after) {
        // A post the ledger gives to another publication is its own, never this one's (two publications of one item;
        // channels/types.ts, rule 4).
        const owned = await attempt.ownedElsewhere(listed.map((p) => p.id));
        const match = matchPosts(owned.size ? listed.filter((p) => !owned.has(p.id)) : listed, draft);
        if (match.status === 'found' && (await attempt.siblingMayHavePosted()))
          return { status: 'cannot-tell', reason: SIBLING_IN_FLIGHT };
        return match;
      }
    }
    return {
      status: 'cannot-tell',
      reason: `Trang có hơn ${LISTING_PAGES * 100} bài trong khoảng thời gian cần xem; cần người kiểm tra trên Trang trước khi đăng lại (loa retry).`,
    };
  }

  /**
   * A withdrawn item's post off the Page: DELETE /{page-post-id} with the Page's token (Pages API, Posts, "Delete a
   * Post"), which answers {success: true}. Anything else leaves the post for a person, with why.
   */
  async removePost(post: PlatformPost, target: TakeDownContext): Promise<TakeDownOutcome> {
    const where = post.externalUrl ?? `mã bài ${post.externalId}`;
    const token = await this.token(target.channel);
    const answer = await this.graph.call(
      token,
      'DELETE',
      [post.externalId],
      {},
      AbortSignal.timeout(this.options.timeoutMs),
    );
    if (answer.kind === 'answer' && answer.status < 300 && (answer.body as { success?: unknown }).success === true)
      return { status: 'removed' };
    const why =
      answer.kind === 'no-answer'
        ? `Facebook không trả lời (${answer.code})`
        : scrubToken(
            explain(classify(graphErrorOf(answer.body), answer.status), graphErrorOf(answer.body), answer.status, {
              channelId: target.channel.id,
              field: 'Trang',
            }),
            token,
          );
    return {
      status: 'left',
      reason: `bài vẫn còn trên ${target.channel.name} (${where}): Loa không gỡ được (${why}); hãy gỡ trên Trang`,
    };
  }

  /** The post's permalink; the plain post address when Facebook does not say (the post exists either way). */
  private async permalink(token: string, postId: string, signal: AbortSignal): Promise<string> {
    const answer = await this.graph.call(token, 'GET', [postId], { fields: 'permalink_url' }, signal);
    const url =
      answer.kind === 'answer' && !graphErrorOf(answer.body)
        ? (answer.body as { permalink_url?: unknown }).permalink_url
        : undefined;
    return typeof url === 'string' && /^https?:\/\//.test(url) ? url : `https://www.facebook.com/${postId}`;
  }

  /** For `loa doctor`: the token decrypts, the Page answers, and the token may post. */
  async checkAccount(channel: ChannelAccount): Promise<string> {
    const pageId = pageIdOf(channel);
    const token = await this.token(channel);
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    const page = await this.graph.call(token, 'GET', [pageId], { fields: 'name' }, signal);
    if (page.kind === 'no-answer')
      throw new ChannelError(
        'retry-later',
        `Không kết nối được Facebook (${page.code}); kiểm tra mạng hoặc LOA_FACEBOOK_GRAPH_URL`,
      );
    const pageError = graphErrorOf(page.body);
    if (pageError || page.status >= 300) {
      const verdict = classify(pageError, page.status);
      throw new ChannelError(
        verdict === 'reconnect' || verdict === 'not-found' ? 'reconnect' : 'refused',
        scrubToken(explain(verdict, pageError, page.status, { channelId: channel.id, field: 'Trang' }), token),
        undefined,
        traceOf(pageError, page.status),
      );
    }
    const name = String((page.body as { name?: unknown }).name ?? pageId);
    const permissions = await this.graph.call(token, 'GET', ['me', 'permissions'], {}, signal);
    const granted =
      permissions.kind === 'answer' && Array.isArray((permissions.body as { data?: unknown }).data)
        ? (permissions.body as { data: Array<{ permission?: string; status?: string }> }).data
        : null;
    if (!granted) return `Trang «${name}» trả lời; không đọc được danh sách quyền của token`;
    if (!granted.some((p) => p.permission === 'pages_manage_posts' && p.status === 'granted'))
      throw new ChannelError(
        'refused',
        `Trang «${name}» trả lời nhưng token chưa có quyền pages_manage_posts (đăng bài); ${reconnectHint(channel.id)}`,
      );
    return `Trang «${name}» trả lời; token có quyền đăng bài (Graph ${this.options.target.graphUrl}, ${this.options.target.apiVersion})`;
  }

  /** The Page token: the channel's encrypted secret, else (one-unit set-up) the environment's. Never logged. */
  private async token(channel: ChannelAccount): Promise<string> {
    let stored: { value: string } | null = null;
    try {
      stored = (await this.services?.readSecret(channel.id)) ?? null;
    } catch (error) {
      // No key, another key, a damaged value: the channel cannot publish until an admin fixes it.
      throw new ChannelError('reconnect', `Kênh ${channel.id}: ${(error as Error).message}`);
    }
    if (stored?.value.trim()) return stored.value.trim();
    const env = this.options.envPage;
    if (env?.token && env.pageId === channel.settings.pageId) return env.token;
    throw new ChannelError(
      'reconnect',
      `Kênh ${channel.id} chưa có token của Trang Facebook. ${reconnectHint(channel.id)}`,
    );
  }
}
