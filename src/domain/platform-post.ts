/**
 * What exists on a platform for a publication: its post, or a follow-up the platform created (a broadcast). The
 * store's ledger keeps one row per thing, owned by exactly one publication, written the moment an adapter learns its
 * id, and never overwritten.
 */
export type PlatformPostState = 'live' | 'remove-by-hand' | 'removed';

export const PLATFORM_POST_STATE_LABELS: Record<PlatformPostState, string> = {
  live: 'đang có trên nền tảng',
  'remove-by-hand': 'cần gỡ bằng tay',
  removed: 'đã gỡ',
};

/** The kind of the publication's own post; a follow-up is named by its adapter (e.g. 'broadcast'). */
export const MAIN_POST = 'post';

export interface PlatformPost {
  id: number;
  publicationId: string;
  channelId: string;
  kind: string;
  externalId: string;
  externalUrl: string | null;
  attemptId: number | null;
  state: PlatformPostState;
  /** Why it must be removed by hand, or how it was removed. */
  stateReason: string | null;
  recordedAt: Date;
}
