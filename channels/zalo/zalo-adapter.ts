import { DateTime } from 'luxon';

import type { ChannelAccount, StartingChannel, Unit } from '../../src/domain/channel';
import { formatLocal, LOCAL_ZONE } from '../../src/domain/time';
import { privateAddressesAllowed, privateAddressRefusal } from '../../src/outbound/address-guard';
import { guardedHead, type HeadAnswer, OutboundUrlError } from '../../src/outbound/guarded-head';
import { templateData, type Templates } from '../template';
import {
  type AttemptContext,
  type ChannelAdapter,
  ChannelError,
  type EarlierAttempt,
  type PostContext,
  type PublishOutcome,
  type Reconciliation,
  SIBLING_IN_FLIGHT,
  type TokenFacts,
} from '../types';
import type { ArticleCreateRequest } from './api-types';
import { ARTICLE_LIMITS, articleImages, articleRequest, parseRenderedArticle } from './article';
import { decideBroadcast, nextRenewal } from './broadcast-limits';
import type { ZaloClient } from './client';
import type { ZaloConnector } from './connect';
import { channelErrorFor, describeZaloError, transportRetry } from './explain';
import { isBroadcastNight, nextBroadcastMorning } from './night';
import { newZaloSecret, parseZaloSecret, type ZaloTokens } from './tokens';
import { ZaloApiError, ZaloTransportError } from './zalo-errors';
import { readZaloSettings, type ZaloSettings } from './zalo-settings';

/** Names of the steps recorded on an attempt with `attempt.progress`, so a later attempt resumes instead of redoing. */
export const STEPS = {
  /** create's job token: the article exists (or is being made) from this point on */
  jobToken: 'token',
  article: 'article',
  articleUrl: 'article-url',
  broadcast: 'broadcast',
  /** why the broadcast was not sent and will not be retried (quota used up, refused) */
  broadcastSkipped: 'broadcast-skipped',
} as const;

export interface ZaloAdapterOptions {
  templates: Templates;
  client: ZaloClient;
  /** The channels' token pairs; null where nothing is published (settings checks only). */
  tokens: ZaloTokens | null;
  now?: () => Date;
  /** First pause between two verify calls; doubled each time up to 8 s. Default 500 ms. */
  verifyFirstDelayMs?: number;
  /** Timeout of the HEAD request that checks an image's size. Default 10 s. */
  imageCheckTimeoutMs?: number;
  /** Images on private, loopback or link-local addresses allowed (tests' local fakes); default LOA_OUTBOUND_ALLOW_PRIVATE. */
  allowPrivateAddresses?: boolean;
  /** OAuth v4 with PKCE for the installation's Zalo app (channels/zalo/connect.ts); absent in settings-only use. */
  connector?: ZaloConnector;
  /** When the channel's earlier attempts recorded a step (ChannelServices.stepTimes): its broadcasts so far. */
  stepTimes?: (channelId: string, step: string, since: Date) => Promise<Date[]>;
}

/** Steps recorded by every earlier attempt, the latest value of each. */
function earlierSteps(earlier: readonly EarlierAttempt[]): Record<string, string> {
  return Object.assign({}, ...earlier.map((a) => a.steps)) as Record<string, string>;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Zalo Official Account: each item becomes an article (create → job token → verify → article id), optionally sent
 * to the OA's followers as a broadcast. Not idempotent: a second create is a second public article, so every step
 * is recorded before the next one and a later attempt resumes from the earlier attempts' steps.
 */
export class ZaloAdapter implements ChannelAdapter {
  readonly platform = 'zalo' as const;
  readonly idempotent = false;
  private readonly now: () => Date;
  private readonly allowPrivate: boolean;
  /** Connecting an OA from the desk or the CLI (OAuth v4 with PKCE), and checking a pasted pair. */
  readonly connector?: ZaloConnector;

  constructor(private readonly options: ZaloAdapterOptions) {
    this.now = options.now ?? (() => new Date());
    this.allowPrivate = options.allowPrivateAddresses ?? privateAddressesAllowed();
    this.connector = options.connector;
  }

  /**
   * The scheduled refresh (worker/keep-tokens.ts): renews the pair once its refresh token is a week old, so it never
   * reaches its three months even when the OA publishes nothing. Throws a ChannelError `reconnect` when Zalo refuses.
   */
  async keepAlive(channel: ChannelAccount): Promise<TokenFacts & { renewed: boolean }> {
    const tokens = this.options.tokens;
    if (!tokens) throw new ChannelError('reconnect', 'Loa chưa có kho bí mật để đọc mã truy cập Zalo');
    const kept = await tokens.keepAlive(channel.id, AbortSignal.timeout(30_000));
    return {
      expiresAt: kept.accessExpiresAt,
      refreshExpiresAt: kept.refreshExpiresAt,
      summary: '',
      missing: [],
      renewed: kept.refreshed,
    };
  }

  render(post: PostContext): Promise<string> {
    return this.options.templates.render('zalo.liquid', templateData(post));
  }

  checkSettings(settings: Record<string, unknown>): void {
    readZaloSettings(settings);
  }

  /**
   * One-unit set-up: LOA_ZALO_ACCESS_TOKEN and LOA_ZALO_REFRESH_TOKEN give the default unit a "zalo" channel, the pair
   * stored encrypted. Only the first time: afterwards the database holds the rotating pair (the variables' refresh
   * token is spent after the first refresh), so a stored secret is never overwritten from the environment.
   */
  startingChannel(unit: Unit, env: NodeJS.ProcessEnv): StartingChannel | null {
    const accessToken = env.LOA_ZALO_ACCESS_TOKEN?.trim();
    const refreshToken = env.LOA_ZALO_REFRESH_TOKEN?.trim();
    if (!accessToken || !refreshToken) return null;
    return {
      channel: { id: 'zalo', platform: 'zalo', name: `Zalo OA ${unit.name}`, settings: {} },
      secret: this.prepareSecret(JSON.stringify({ accessToken, refreshToken }), this.now()),
      secretFrom: 'LOA_ZALO_ACCESS_TOKEN',
    };
  }

  /** The pair an admin gives, `{"accessToken":"…","refreshToken":"…"}`, stored with when its refresh token runs out. */
  prepareSecret(secret: string, now: Date): string {
    const parsed = parseZaloSecret(secret.trim());
    return JSON.stringify({
      ...parsed,
      ...newZaloSecret(parsed.accessToken, parsed.refreshToken, now),
      accessExpiresAt: parsed.accessExpiresAt,
    });
  }

  /**
   * For `loa doctor`: the pair decrypts and works (refreshed if due), the OA answers getoa and is verified, and
   * when the refresh token runs out (an admin must reconnect before then). Throws a ChannelError saying what to fix.
   */
  async checkAccount(channel: ChannelAccount): Promise<string> {
    const settings = readZaloSettings(channel.settings);
    const signal = AbortSignal.timeout(30_000);
    let oa;
    try {
      oa = await this.withAccess(channel.id, signal, (token) => this.options.client.getOa(token, signal));
    } catch (error) {
      if (error instanceof ZaloApiError) throw channelErrorFor(error, this.now());
      if (error instanceof ZaloTransportError) throw transportRetry(error);
      throw error;
    }
    if (!oa.is_verified)
      throw new ChannelError(
        'refused',
        `OA "${oa.name}" chưa được Zalo xác thực: OA chưa xác thực không tạo được bài viết và không gửi được tin`,
      );
    const parts = [
      `OA "${oa.name}" trả lời, đã xác thực${oa.num_follower !== undefined ? `, ${oa.num_follower} người quan tâm` : ''}`,
    ];
    const expires = await this.options.tokens!.refreshExpiresAt(channel.id);
    if (expires) {
      const days = Math.floor((expires.getTime() - this.now().getTime()) / 86_400_000);
      if (days < 0)
        throw new ChannelError(
          'reconnect',
          `mã làm mới Zalo đã hết hạn từ ${formatLocal(expires)}; cần kết nối lại OA: loa channels connect ${channel.id}`,
        );
      parts.push(
        `mã làm mới hết hạn ${formatLocal(expires)} (còn ${days} ngày${days < 14 ? '; cần kết nối lại OA trước ngày đó' : ''})`,
      );
    } else parts.push('chưa biết hạn của mã làm mới (Loa biết sau lần làm mới đầu tiên)');
    const broadcast = { never: 'tắt', always: 'bật cho mọi bài', urgent: 'bật cho bài khẩn cấp' }[settings.broadcast];
    parts.push(
      `gửi tin đến người quan tâm: ${broadcast}${settings.broadcast === 'never' ? '' : ' (chỉ 06:00–22:00, giới hạn lượt mỗi tháng)'}`,
    );
    return parts.join('; ');
  }

  async publish(post: PostContext, rendered: string, attempt: AttemptContext): Promise<PublishOutcome> {
    const settings = readZaloSettings(post.channel.settings);
    const done = earlierSteps(attempt.earlier);
    let articleId = done[STEPS.article] ?? null;
    let articleUrl = done[STEPS.articleUrl] ?? null;

    if (!articleId) {
      let jobToken = done[STEPS.jobToken];
      if (!jobToken) {
        const request = articleRequest(parseRenderedArticle(rendered), settings);
        await this.checkImages(request, attempt.signal);
        let created;
        try {
          created = await this.withAccess(post.channel.id, attempt.signal, (token) =>
            this.options.client.createArticle(token, request, attempt.signal),
          );
        } catch (error) {
          // The request may have reached Zalo: never create again blindly (findExisting looks for it).
          if (error instanceof ZaloTransportError)
            return { status: 'unknown', reason: `không rõ Zalo đã tạo bài chưa: ${error.message}` };
          throw this.notSent(error);
        }
        jobToken = created.token;
        // Recorded before anything else: from here on a later attempt verifies this job, it never creates again.
        await attempt.progress(STEPS.jobToken, jobToken);
      }
      const verified = await this.waitForArticle(
        post.channel.id,
        jobToken,
        settings.verifyTimeoutS * 1000,
        attempt.signal,
      );
      if (verified.status === 'unknown') return verified;
      articleId = verified.id;
      await attempt.progress(STEPS.article, articleId);
      // The article exists: into the ledger before the next call (channels/types.ts, rule 6).
      await attempt.recordPost('post', articleId, null);
      articleUrl = await this.findArticleUrl(post.channel.id, articleId, attempt.signal);
      if (articleUrl) await attempt.progress(STEPS.articleUrl, articleUrl);
    }

    if (this.wantsBroadcast(post, settings) && !done[STEPS.broadcast] && !done[STEPS.broadcastSkipped]) {
      await this.broadcast(post.channel.id, articleId, attempt, settings);
    }
    return { status: 'sent', externalId: articleId, externalUrl: articleUrl, content: rendered };
  }

  async findExisting(post: PostContext, rendered: string, attempt: AttemptContext): Promise<Reconciliation> {
    const done = earlierSteps(attempt.earlier);
    try {
      const articleId = done[STEPS.article];
      const jobToken = done[STEPS.jobToken];
      if (articleId) {
        const url = done[STEPS.articleUrl] ?? (await this.findArticleUrl(post.channel.id, articleId, attempt.signal));
        return { status: 'found', externalId: articleId, externalUrl: url, content: rendered };
      }
      if (jobToken) {
        const verified = await this.waitForArticle(post.channel.id, jobToken, 30_000, attempt.signal);
        if (verified.status === 'unknown') return { status: 'cannot-tell', reason: verified.reason };
        const url = await this.findArticleUrl(post.channel.id, verified.id, attempt.signal);
        return { status: 'found', externalId: verified.id, externalUrl: url, content: rendered };
      }
      return await this.lookAmongRecent(post.channel.id, rendered, attempt);
    } catch (error) {
      const why =
        error instanceof ZaloApiError
          ? describeZaloError(error)
          : error instanceof Error
            ? error.message
            : String(error);
      return { status: 'cannot-tell', reason: `không kiểm tra được trên Zalo: ${why}` };
    }
  }

  /**
   * The articles of the last attempts' window, newest first: exactly one with exactly the title Loa sent is the
   * one; none, with the listing reaching back past the window, means it was not created.
   */
  private async lookAmongRecent(channelId: string, rendered: string, attempt: AttemptContext): Promise<Reconciliation> {
    const { title } = parseRenderedArticle(rendered);
    const starts = [attempt.startedAt, ...attempt.earlier.map((a) => a.startedAt)].map((d) => d.getTime());
    // A minute of slack for clocks that differ between Loa and Zalo.
    const since = Math.min(...starts) - 60_000;
    const matches: Array<{ id: string; link: string | null }> = [];
    let reachedBack = false;
    for (let page = 0; page < 5 && !reachedBack; page++) {
      const slice = await this.withAccess(channelId, attempt.signal, (token) =>
        this.options.client.listArticles(token, { offset: page * 10, limit: 10, type: 'normal' }, attempt.signal),
      );
      for (const media of slice.medias) {
        if (media.create_date < since) reachedBack = true;
        else if (media.title === title) matches.push({ id: media.id, link: media.link ?? null });
      }
      if (slice.medias.length < 10) reachedBack = true;
    }
    // Articles the ledger gives to other publications are never this one's (channels/types.ts, rule 4).
    const owned = await attempt.ownedElsewhere(matches.map((m) => m.id));
    const free = matches.filter((m) => !owned.has(m.id));
    if (free.length === 1 && (await attempt.siblingMayHavePosted()))
      return { status: 'cannot-tell', reason: SIBLING_IN_FLIGHT };
    if (free.length === 1)
      return { status: 'found', externalId: free[0]!.id, externalUrl: free[0]!.link, content: rendered };
    if (free.length > 1)
      return {
        status: 'cannot-tell',
        reason: `có ${free.length} bài cùng tiêu đề "${title}" trên Zalo OA trong khoảng thời gian đăng; cần người kiểm tra`,
      };
    if (reachedBack) return { status: 'absent' };
    return {
      status: 'cannot-tell',
      reason: 'OA đăng quá nhiều bài trong khoảng thời gian đó, Loa không xem hết được; cần người kiểm tra',
    };
  }

  /** Polls verify with backoff until Zalo has processed the article, within an overall limit. */
  private async waitForArticle(
    channelId: string,
    jobToken: string,
    limitMs: number,
    signal: AbortSignal,
  ): Promise<{ status: 'ok'; id: string } | { status: 'unknown'; reason: string }> {
    const deadline = Date.now() + limitMs;
    let pause = this.options.verifyFirstDelayMs ?? 500;
    for (;;) {
      try {
        const verified = await this.withAccess(channelId, signal, (token) =>
          this.options.client.verifyArticle(token, jobToken, signal),
        );
        return { status: 'ok', id: verified.id };
      } catch (error) {
        if (error instanceof ZaloApiError && error.kind === 'processing') {
          if (Date.now() + pause > deadline) {
            // The job token is recorded: the next attempt asks again with it and never creates a second article.
            throw new ChannelError(
              'retry-later',
              `Zalo vẫn đang xử lý bài viết sau ${Math.round(limitMs / 1000)} giây; lần sau Loa hỏi lại, không tạo bài mới`,
              60_000,
              { code: error.code },
            );
          }
          await sleep(pause, signal);
          pause = Math.min(pause * 2, 8_000);
          continue;
        }
        if (error instanceof ZaloTransportError) throw transportRetry(error);
        if (error instanceof ZaloApiError && error.kind === 'rate-limit') throw channelErrorFor(error, this.now());
        if (error instanceof ZaloApiError)
          return {
            status: 'unknown',
            reason: `Zalo đã nhận bài nhưng không xác nhận được: ${describeZaloError(error)}`,
          };
        throw error;
      }
    }
  }

  /** The article's public address, from the OA's recent articles; null if it cannot be found now (not an error). */
  private async findArticleUrl(channelId: string, articleId: string, signal: AbortSignal): Promise<string | null> {
    try {
      const slice = await this.withAccess(channelId, signal, (token) =>
        this.options.client.listArticles(token, { offset: 0, limit: 10, type: 'normal' }, signal),
      );
      return slice.medias.find((m) => m.id === articleId)?.link ?? null;
    } catch (error) {
      if (error instanceof ZaloApiError || error instanceof ZaloTransportError) return null;
      throw error;
    }
  }

  private wantsBroadcast(post: PostContext, settings: ZaloSettings): boolean {
    return settings.broadcast === 'always' || (settings.broadcast === 'urgent' && post.item.priority === 'khan-cap');
  }

  /**
   * The second step. At night it waits for 06:00 (the article is recorded; the next attempt only broadcasts).
   * A used-up quota or a refusal is recorded with its reason and not retried: the article stays published.
   */
  private async broadcast(
    channelId: string,
    articleId: string,
    attempt: AttemptContext,
    settings: ZaloSettings,
  ): Promise<void> {
    const now = this.now();
    if (isBroadcastNight(now)) {
      const morning = nextBroadcastMorning(now);
      throw new ChannelError(
        'retry-later',
        `bài đã đăng trên Zalo; tin gửi người quan tâm chờ đến ${formatLocal(morning)} vì Zalo không cho gửi từ 22:00 đến 06:00`,
        morning.getTime() - now.getTime(),
      );
    }
    // Zalo's limits are per follower (broadcast-limits.ts): a broadcast it would accept may reach nobody.
    if (this.options.stepTimes) {
      const since = DateTime.fromJSDate(now).setZone(LOCAL_ZONE).startOf('month').toJSDate();
      const sent = await this.options.stepTimes(channelId, STEPS.broadcast, since);
      const decision = decideBroadcast(now, sent, settings.package);
      if ('waitUntil' in decision)
        throw new ChannelError(
          'retry-later',
          `bài đã đăng trên Zalo; ${decision.reason}`,
          decision.waitUntil.getTime() - now.getTime(),
        );
      if ('skip' in decision) {
        await attempt.progress(STEPS.broadcastSkipped, `không gửi tin đến người quan tâm: ${decision.skip}`);
        return;
      }
    }
    try {
      const sent = await this.withAccess(channelId, attempt.signal, (token) =>
        this.options.client.broadcastArticle(token, articleId, attempt.signal),
      );
      await attempt.progress(STEPS.broadcast, sent.message_id);
      await attempt.recordPost('broadcast', sent.message_id, null);
    } catch (error) {
      if (error instanceof ZaloApiError && (error.kind === 'night' || error.kind === 'rate-limit'))
        throw channelErrorFor(error, now);
      if (error instanceof ZaloApiError) {
        const renewal = error.kind === 'quota' ? nextRenewal(now, settings.renewalDay) : null;
        const when =
          error.kind !== 'quota'
            ? ''
            : renewal
              ? `; lượt mới có từ ngày ${DateTime.fromJSDate(renewal).setZone(LOCAL_ZONE).toFormat('dd/LL/yyyy')} (ngày gia hạn gói)`
              : '; lượt mới có vào ngày gia hạn gói dịch vụ của OA (đặt renewalDay trong cài đặt kênh để Loa báo đúng ngày)';
        await attempt.progress(
          STEPS.broadcastSkipped,
          `không gửi tin đến người quan tâm: ${describeZaloError(error)}${when}`,
        );
        return;
      }
      if (error instanceof ZaloTransportError) {
        // It may have gone out: a second broadcast would reach every follower twice. Leave it for a person.
        await attempt.progress(
          STEPS.broadcastSkipped,
          `không rõ tin đến người quan tâm đã gửi chưa (${error.message}); cần người kiểm tra trên Zalo OA`,
        );
        return;
      }
      throw error;
    }
  }

  /**
   * Each image must be reachable and within Zalo's size limit, checked before anything is created. The address is an
   * officer's (or a feed's): it is asked through the outbound guard, so an image on this machine or the office
   * network is refused before any connection, and what such an address would answer never reaches the log.
   */
  private async checkImages(request: ArticleCreateRequest, signal: AbortSignal): Promise<void> {
    for (const image of articleImages(request)) {
      const timeoutMs = this.options.imageCheckTimeoutMs ?? 10_000;
      let response: HeadAnswer;
      try {
        response = await guardedHead(image.url, { timeoutMs, signal, allowPrivate: this.allowPrivate });
      } catch (error) {
        const refused = privateAddressRefusal(error);
        if (refused || error instanceof OutboundUrlError)
          throw new ChannelError(
            'bad-content',
            `${image.label} (${image.field}) không dùng được: ${(refused ?? (error as Error)).message}`,
          );
        const code = (error as { cause?: { code?: unknown } }).cause?.code;
        const why =
          (error as Error).name === 'TimeoutError' ? 'quá thời gian chờ' : typeof code === 'string' ? code : 'lỗi mạng';
        throw new ChannelError(
          'retry-later',
          `chưa tải được ${image.label.toLowerCase()} (${image.field}) để kiểm tra kích thước (${why}): ${image.url}`,
        );
      }
      if (response.status < 200 || response.status > 299)
        throw new ChannelError(
          'bad-content',
          `${image.label} (${image.field}) không tải được (HTTP ${response.status}): ${image.url}`,
        );
      const bytes = Number(response.headers.get('content-length'));
      if (Number.isFinite(bytes) && bytes > ARTICLE_LIMITS.imageBytes) {
        throw new ChannelError(
          'bad-content',
          `${image.label} (${image.field}) nặng ${(bytes / 1024 / 1024).toFixed(1)} MB, Zalo chỉ nhận ảnh tối đa 1 MB`,
        );
      }
    }
  }

  /** Calls Zalo with the channel's access token; on an invalid or expired token, refreshes once and tries again. */
  private async withAccess<T>(
    channelId: string,
    signal: AbortSignal,
    call: (accessToken: string) => Promise<T>,
  ): Promise<T> {
    const tokens = this.options.tokens;
    if (!tokens) throw new ChannelError('reconnect', 'Loa chưa có kho bí mật để đọc mã truy cập Zalo');
    const token = await tokens.accessToken(channelId, signal);
    try {
      return await call(token);
    } catch (error) {
      if (!(error instanceof ZaloApiError) || error.kind !== 'token') throw error;
      return call(await tokens.refreshAfterRejection(channelId, token, signal));
    }
  }

  /** An error from a call that created nothing, as the channel taxonomy says it. */
  private notSent(error: unknown): unknown {
    return error instanceof ZaloApiError ? channelErrorFor(error, this.now()) : error;
  }
}
