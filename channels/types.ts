import type { ChannelAccount, Platform, StartingChannel, Unit } from '../src/domain/channel';
import type { ContentItem } from '../src/domain/content-item';
import type { PlatformPost } from '../src/domain/platform-post';
import type { AttemptOutcome, Publication, StoredPost } from '../src/domain/publication';

/** Everything a channel may use to render and publish one publication. */
export interface PostContext {
  publication: Publication;
  item: ContentItem;
  channel: ChannelAccount;
  unit: Unit;
  areaName: string;
}

/** What a platform said about a failure, kept on the attempt beside the sentence for people. Never a secret. */
export interface PlatformTrace {
  code?: string | number;
  subcode?: string | number;
  traceId?: string;
}

/** A post the platform accepted: its proof. Once recorded it is never overwritten. */
export interface PublishResult {
  externalId: string;
  externalUrl: string | null;
  /** Exactly what was published (as rendered), kept with the outcome: the feed and log show this, not the item's later text. */
  content: string;
}

/**
 * What the adapter could tell of one call:
 * - `sent`: the platform accepted the post; here is its proof.
 * - `unknown`: it may or may not have posted (timeout, dropped connection after the request left, an answer that
 *   cannot be read). The worker never sends again blindly: it calls `findExisting`, or leaves the publication
 *   `unconfirmed` for a person.
 * Not sent at all is said by throwing a `ChannelError` (below): the worker may retry it as its kind says.
 */
export type PublishOutcome =
  ({ status: 'sent' } & PublishResult) | { status: 'unknown'; reason: string; trace?: PlatformTrace };

/** One earlier attempt of the same publication, as `findExisting` and multi-step adapters see it. */
export interface EarlierAttempt {
  attemptNo: number;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: AttemptOutcome;
  externalId: string | null;
  /** Partial ids the adapter recorded mid-way with `AttemptContext.progress` (e.g. an upload or a job token). */
  steps: Readonly<Record<string, string>>;
}

/** The attempt in progress, as the adapter sees it. */
export interface AttemptContext {
  attemptNo: number;
  startedAt: Date;
  /** Earlier attempts of this publication, oldest first. */
  earlier: readonly EarlierAttempt[];
  /**
   * Records a step's partial id durably on this attempt (fenced by the claim) before the adapter goes on, so a
   * crash after it lets the next attempt resume instead of starting over. Rejects if the claim was lost: the
   * adapter must then stop before its next side effect.
   */
  progress(step: string, value: string): Promise<void>;
  /**
   * Records in the store's ledger what the platform created, the moment its id is known and BEFORE any follow-up
   * call (a permalink, a pace hold, a broadcast): `kind` 'post' for the publication's own post, a follow-up's name
   * otherwise. The id is kept even if the claim was lost meanwhile; then this rejects, and the adapter must stop
   * before its next side effect. Rejects also when the ledger gives the id to another publication.
   */
  recordPost(kind: string, externalId: string, externalUrl: string | null): Promise<void>;
  /**
   * Of these ids found on the platform, the ones the ledger gives to other publications of this channel:
   * `findExisting` must never answer one of them.
   */
  ownedElsewhere(externalIds: readonly string[]): Promise<ReadonlySet<string>>;
  /**
   * Whether another publication of the same item on this channel may have posted without the ledger knowing its id
   * yet (its call in flight, its outcome unknown): a candidate no publication owns could then be that one's, and
   * `findExisting` must answer `cannot-tell` rather than `found` (rule 4).
   */
  siblingMayHavePosted(): Promise<boolean>;
  /**
   * The fenced step before a side effect that is not a platform call (rule 8): confirms, on the database and
   * presenting the claim's token, that this attempt still holds the publication and its item may still go out
   * (approved, not withdrawn), and extends the lease. Rejects otherwise: the adapter must not make its side effect
   * visible, and undoes one it already made.
   */
  fence(): Promise<void>;
  /** Aborted when the publish deadline passes, the claim is lost or the worker is stopping: pass it to every call. */
  signal: AbortSignal;
}

/**
 * One adapter per platform. Generic code (queue, worker, CLI) knows channels only through this.
 *
 * Rules for adapter authors:
 * 1. `idempotent` is true only if calling `publish` twice for the same publication can never make two public posts
 *    (true for rss and radio by construction; false for any social platform).
 * 2. `publish` resolves `sent` only with the platform's own id; resolves `unknown` whenever the request may have
 *    reached the platform and no answer proves the outcome; throws `ChannelError` only when the platform certainly
 *    did not post (refused, rate-limited before accepting, bad content found before the call). Any other thrown
 *    error is taken as `unknown` for a non-idempotent adapter and as retry-later for an idempotent one.
 * 3. Multi-step platforms record each partial id with `attempt.progress` before the next step, and resume from
 *    `attempt.earlier[…].steps` instead of repeating a step that creates something.
 * 4. `findExisting` matches exactly what Loa sent (never a fuzzy guess) within the earlier attempts' time window,
 *    drops every candidate `attempt.ownedElsewhere` names (a post owned by another publication is never taken), and
 *    answers `cannot-tell`, not `found`, when more than one candidate is left (the same text posted twice), or when
 *    one is left but `attempt.siblingMayHavePosted()` (it may be the post of the item's other publication).
 * 5. Messages are for people, in Vietnamese, and never contain a token or a secret.
 * 6. The moment a platform returns an id, `attempt.recordPost` puts it in the ledger, before any follow-up call; a
 *    follow-up that fails afterwards never turns a post that exists into "not sent" (the worker keeps the post).
 * 7. An unknown outcome on a non-idempotent platform is only ever followed by `findExisting`, however many attempts
 *    later: the worker looks first whenever an earlier attempt may have posted (started, interrupted, unconfirmed,
 *    or a retry after an uncertain call).
 * 8. A side effect that is not a platform call (a file Loa writes) is fenced like a post: written under a temporary
 *    name, made visible (renamed) only after `attempt.fence()` resolves, and checked with `fence()` again after; if
 *    that fails and the database says the publication is off air (`ChannelServices.offAirAmong`), it is undone. What
 *    is rebuilt from several posts (a day's programme) lists only what the database says may be on air.
 * 9. Where the platform lets Loa delete a post, `removePost` does it when its item is withdrawn; otherwise the ledger
 *    lists the post for a person to remove by hand.
 */
export interface ChannelAdapter {
  readonly platform: Platform;
  readonly idempotent: boolean;
  /**
   * True when withdrawing an item takes its post down: the post is Loa's own (the portal feed and post pages, read
   * from the database; a station's script files, removed by `takeDown`). Absent: the post stays on the platform,
   * and a person removes it there (the desk lists its link).
   */
  readonly takenDownByWithdrawal?: boolean;
  /**
   * Default pace of one account, in posts per hour, shared by every worker process (a channel's own setting
   * `postsPerHour` overrides it). Absent: no pace (the portal feed, radio files).
   */
  readonly postsPerHour?: number;
  /**
   * True when the adapter may hold its account for a while (`services.holdAccount`: the platform said "slow down").
   * Absent, with no pace either, no turn is ever refused, and the worker asks Redis nothing before a publication.
   */
  readonly heldByPlatform?: boolean;
  /**
   * True when publishing calls no remote platform: the post is Loa's own write (a feed entry in the database, script
   * files in the export folder). Nothing outside limits such a queue, so it runs LOA_LOCAL_CONCURRENCY jobs at once
   * per worker process, and a burst's publications share the store's commits (src/store/commit-batch.ts).
   */
  readonly publishesLocally?: boolean;
  render(post: PostContext): Promise<string>;
  publish(post: PostContext, rendered: string, attempt: AttemptContext): Promise<PublishOutcome>;
  /**
   * After an unknown outcome: looks on the platform for what an earlier attempt may have posted.
   * `found` records it; `absent` means certainly not posted (safe to send); `cannot-tell` leaves it `unconfirmed`.
   */
  findExisting?(post: PostContext, rendered: string, attempt: AttemptContext): Promise<Reconciliation>;
  /**
   * How the post will read or sound, for the officer writing it (the desk's live preview). Without it the
   * rendered text is the preview. Never calls the platform and never writes anything.
   */
  preview?(post: PostContext, rendered: string): ChannelPreview;
  /**
   * For channels that are heard: the draft `text` read in `channel`'s voice, for the officer writing it (the desk's
   * listening). `key` names the reading (the same text, voice and pace give the same key, so it is made once); `write`
   * makes the audio at `file` when someone asks, resolving false when it could not. `unavailable` says why there is
   * nothing to hear, in Vietnamese. Throws a Vietnamese message when the channel's settings cannot be read.
   */
  reading?(text: string, channel: ChannelAccount): DraftReading;
  /**
   * A listening copy of what was published (a station's script read by a speech synthesiser), made on the first
   * request and kept: never on the publish path. `file` is the audio; `unavailable` says why not, in Vietnamese.
   */
  audioPreview?(publication: Publication, channel: ChannelAccount): Promise<AudioPreview>;
  /**
   * Finishes work the adapter put off the publish path (radio: the day's .docx programme). The worker calls it when it
   * stops; tests call it before reading such files.
   */
  flush?(): Promise<void>;
  /**
   * Takes down a withdrawn post that lives outside the database (files Loa wrote), for adapters with
   * `takenDownByWithdrawal`. Called after the database marked it `withdrawn` (the source of truth), so nothing rebuilt
   * from the database afterwards brings it back. Resolves `left` with a Vietnamese sentence (which post, where, why)
   * when it could not: the withdrawal stands and a person removes the post by hand.
   */
  takeDown?(post: TakeDownContext): Promise<TakeDownOutcome>;
  /**
   * Removes from the platform one thing the ledger holds for a withdrawn item's publication (its post, or a follow-up
   * the platform can delete), where the platform documents a way to (rule 9). Resolves `left` with a Vietnamese
   * sentence when it could not; absent: the ledger lists the post for a person to remove by hand.
   */
  removePost?(post: PlatformPost, target: TakeDownContext): Promise<TakeDownOutcome>;
  /**
   * A one-unit set-up (LOA_UNIT): the channel this platform gives the default unit when Loa starts, by default or from
   * the environment `env` (the platform's own variables), with a secret to store encrypted; null for none.
   */
  startingChannel?(unit: Unit, env: NodeJS.ProcessEnv): StartingChannel | null;
  /** Checks a channel account's settings when it is saved; throws a Vietnamese message naming the field. */
  checkSettings?(settings: Record<string, unknown>): void;
  /**
   * Whether this channel can take the item at all (an image on a photo-only channel, a title within the
   * platform's limit…), asked when a publication is queued so it is refused then, not at publishing time.
   * Returns the reason in Vietnamese, or null when it can.
   */
  checkItem?(item: ContentItem, channel: ChannelAccount): string | null;
  /**
   * For `loa doctor`: checks the account on the platform (credentials decrypt and work, the account answers, the
   * permissions allow posting). Resolves a Vietnamese sentence of what was found; throws a ChannelError saying what
   * to fix. Never includes a secret.
   */
  checkAccount?(channel: ChannelAccount): Promise<string>;
  /**
   * Checks a secret an admin gives (`--secret-stdin`) and returns what to store (e.g. JSON with the time it was
   * given); throws a Vietnamese message naming what is wrong, never echoing the secret. Absent: stored as given.
   */
  prepareSecret?(secret: string, now: Date): string;
  /**
   * Connecting an account from the desk or the CLI through the platform's own consent screen (OAuth), and checking a
   * pasted secret the same way (channels/connect.ts). Absent: the secret is pasted and stored as `prepareSecret` says.
   */
  readonly connector?: ChannelConnector;
  /**
   * Keeps the account's credentials alive (a scheduled refresh), called by every worker on a timer: does nothing when
   * nothing is due, and never two refreshes of one account at once (`ChannelServices.exclusive`). Resolves what is
   * known of the credentials now; throws a ChannelError `reconnect` when they are lost (a person must connect again).
   */
  keepAlive?(channel: ChannelAccount): Promise<TokenFacts & { renewed: boolean }>;
}

/** What Loa knows of a channel's credentials, kept on the channel's record (migration 0022) and never secret. */
export interface TokenFacts {
  /** When the token that publishes stops working; null when it does not expire (or is not known). */
  expiresAt: Date | null;
  /** When the token that renews it stops working (a Zalo refresh token); null when there is none. */
  refreshExpiresAt: Date | null;
  /** What the platform said about it, for people (Vietnamese): the account's name, the permissions. */
  summary: string;
  /** Permissions the platform needs and the token lacks, each named (empty when all are there). */
  missing: string[];
}

/** One account a person may connect after consenting (a Page among those they manage, or the OA they chose). */
export interface ConnectChoice {
  /** The account's id on the platform (a Page id, an OA id). */
  accountId: string;
  name: string;
  /** What to store, encrypted, as the channel's secret. Never shown. */
  secret: string;
  /** Settings the channel gets with it (e.g. the Page id), merged into its own. */
  settings: Record<string, unknown>;
  facts: TokenFacts;
}

/**
 * A platform's consent flow (OAuth). `begin` makes the address of the platform's consent screen; what it returns in
 * `keep` (a PKCE verifier) is kept by Loa, encrypted, until the person comes back; `finish` reads the platform's answer
 * (the callback's query), trades its code for tokens and returns the accounts the person may connect.
 */
export interface ChannelConnector {
  /** Null when the installation can use this flow; otherwise why not, in Vietnamese (the setting to make). */
  unavailable(): string | null;
  begin(input: { redirectUri: string; state: string }): { authorizeUrl: string; keep: string };
  finish(input: { query: Record<string, string>; redirectUri: string; keep: string }): Promise<ConnectChoice[]>;
  /** A secret a person pasted (offline installations), checked on the platform as a connection is; throws if it is wrong. */
  checkPasted(secret: string, channel: ChannelAccount, now: Date): Promise<ConnectChoice>;
}

/** A withdrawn publication to take down, with its channel and the channel's unit. */
export type TakeDownContext = Pick<PostContext, 'publication' | 'channel' | 'unit'>;

/** `removed`: nothing of the post is left where Loa put it. `left`: it is still there; `reason` tells a person what to remove. */
export type TakeDownOutcome = { status: 'removed' } | { status: 'left'; reason: string };

export type DraftReading = { key: string; write(file: string): Promise<boolean> } | { unavailable: string };

export type AudioPreview = { file: string; contentType: string } | { unavailable: string };

/** What an officer sees before publishing: the text as it will appear (or be read aloud), and what to check. */
export interface ChannelPreview {
  text: string;
  /** Reading time, for channels that are heard. */
  seconds?: number;
  warnings: string[];
}

/**
 * What Loa offers an adapter about the accounts it publishes to, given once when adapters are created
 * (`createAdapters(settings, services)`); absent where nothing is published (e.g. `loa channels add` checking settings).
 */
export interface ChannelServices {
  /**
   * Where an adapter says what went wrong in work nobody waits on (a background rebuild): the worker's JSON log.
   * Absent (doctor, tests): stderr.
   */
  warn?(message: string): void;
  /** The channel's secret (a token, or JSON a platform rotates), decrypted; null if none is stored. `version` is opaque. */
  readSecret(channelId: string): Promise<{ value: string; version: string } | null>;
  /**
   * Rotation (a refreshed token pair): stores `value` only if the secret is still at `version`, atomically; false
   * when another process rotated it first (read it again). Never resumes a paused channel.
   */
  replaceSecret(channelId: string, version: string, value: string): Promise<boolean>;
  /**
   * Slow down: the account's next publications wait `ms` (the platform's usage headers said so), in every worker
   * process. Never shortens a longer hold.
   */
  holdAccount(channelId: string, ms: number): Promise<void>;
  /**
   * Runs `fn` while no other Loa process runs one under the same `key` (a Redis lock in the worker), for work that
   * must never happen twice at once, such as spending a single-use refresh token. Absent: within this process only.
   */
  exclusive?<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /**
   * What the channel published with its scheduled time in [from, to), as stored with each outcome (the database is
   * the source of truth): lets an adapter that writes files rebuild them when they are lost. Absent: files only.
   */
  publishedBetween?(channelId: string, from: Date, to: Date): Promise<StoredPost[]>;
  /**
   * Of these publications of the channel, those the database says must not be on air: withdrawn or cancelled, or
   * their item withdrawn. A file an adapter rebuilt from a folder (a day's programme) leaves them out, and their
   * files are removed. Absent: the folder alone is read.
   */
  offAirAmong?(channelId: string, publicationIds: readonly string[]): Promise<ReadonlySet<string>>;
  /**
   * When this channel's attempts recorded `step` with `progress`, since `since` (from the publish log): lets an
   * adapter keep to a platform's limits per day or month (a Zalo OA's broadcasts). Absent: not known.
   */
  stepTimes?(channelId: string, step: string, since: Date): Promise<Date[]>;
}

/** Why `findExisting` cannot take the one post it found when `attempt.siblingMayHavePosted()` (rule 4). */
export const SIBLING_IN_FLIGHT =
  'một lượt đăng khác của cùng bài trên kênh này chưa rõ kết quả, nên không biết bài tìm thấy là của lượt nào; cần người kiểm tra trên nền tảng trước khi đăng lại (loa retry)';

export type Reconciliation =
  ({ status: 'found' } & PublishResult) | { status: 'absent' } | { status: 'cannot-tell'; reason: string };

/**
 * Kinds of "not sent":
 * - `retry-later`: a passing trouble (rate limit, 5xx, network before sending); wait `retryAfterMs` or back off.
 * - `bad-content`: the item cannot go out as it is (too long, image refused); fail, no retry, until it is fixed.
 * - `refused`: the platform refuses for good (permission, policy, duplicate); fail, no retry.
 * - `reconnect`: the account's credentials no longer work; the channel is paused until an admin reconnects it.
 * - `refresh-token`: the access token expired; the adapter refreshes and retries once before it ever escapes.
 */
export type ChannelErrorKind = 'retry-later' | 'bad-content' | 'refused' | 'refresh-token' | 'reconnect';

/**
 * A platform certainly did not post. The message is for a person (Vietnamese) and must never contain a secret;
 * `trace` keeps the platform's own code, subcode and trace id.
 */
export class ChannelError extends Error {
  override name = 'ChannelError';
  constructor(
    readonly kind: ChannelErrorKind,
    message: string,
    readonly retryAfterMs?: number,
    readonly trace?: PlatformTrace,
    /**
     * `retry-later` after a call that may have reached the platform (a 5xx, a listing that did not show the post yet):
     * the next attempt looks with `findExisting` before it sends again, however many attempts later.
     */
    readonly mayHavePosted = false,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.kind === 'retry-later';
  }
}
