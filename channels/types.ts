import type { ChannelAccount, Platform, Unit } from '../src/domain/channel';
import type { ContentItem } from '../src/domain/content-item';
import type { Publication } from '../src/domain/publication';

/** Everything a channel may use to render and publish one publication. */
export interface PostContext {
  publication: Publication;
  item: ContentItem;
  channel: ChannelAccount;
  unit: Unit;
  areaName: string;
}

export interface PublishResult {
  externalId: string;
  externalUrl: string | null;
  /** Exactly what was published, kept in the publish record. */
  content: string;
}

/**
 * One adapter per platform. Generic code (queue, worker, CLI) knows channels only through this.
 * `idempotent` says whether calling publish again for the same publication can never post twice
 * (true for rss and radio by construction). For the others, an attempt whose outcome is unknown is
 * reconciled with `findExisting` before anything is sent again.
 */
export interface ChannelAdapter {
  readonly platform: Platform;
  readonly idempotent: boolean;
  render(post: PostContext): Promise<string>;
  publish(post: PostContext, rendered: string): Promise<PublishResult>;
  findExisting?(post: PostContext): Promise<PublishResult | null>;
  /** Checks a channel account's settings when it is saved; throws a Vietnamese message naming the field. */
  checkSettings?(settings: Record<string, unknown>): void;
}

export type ChannelErrorKind = 'retry-later' | 'bad-content' | 'refresh-token' | 'reconnect';

/**
 * What can go wrong with a platform, as a small taxonomy the worker acts on: retry later (with backoff or the
 * platform's own wait), or stop and tell a person (bad content, expired token, account disconnected).
 * The message is for a person and must never contain a secret.
 */
export class ChannelError extends Error {
  override name = 'ChannelError';
  constructor(
    readonly kind: ChannelErrorKind,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.kind === 'retry-later';
  }
}
