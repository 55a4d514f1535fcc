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

/** One thing the ledger holds, as the log shows it (times UTC ISO). */
export interface LedgerLine {
  kind: string;
  externalId: string;
  externalUrl: string | null;
  state: PlatformPostState;
  /** Why a person must remove it, or how it was removed. */
  stateReason: string | null;
  recordedAt: string;
}

/** What exists where for one publication, as `loa log`, `/api/log` and the desk's log show it. */
export interface PublicationLedger {
  /** What the platform created for it: its post first, then follow-ups (e.g. a broadcast), in the order recorded. */
  posts: LedgerLine[];
  /** Follow-ups done: the kinds recorded besides the post. */
  followUpsDone: string[];
  /** Its post exists while the publication still waits (a follow-up such as a broadcast is not done yet). */
  followUpPending: boolean;
  /** What a person must remove by hand, each with where and why. */
  removeByHand: string[];
}

const WAITING_STATES = ['scheduled', 'queued', 'publishing'];

export function ledgerOf(publicationState: string, posts: readonly PlatformPost[]): PublicationLedger {
  const lines = posts.map((p) => ({
    kind: p.kind,
    externalId: p.externalId,
    externalUrl: p.externalUrl,
    state: p.state,
    stateReason: p.stateReason,
    recordedAt: p.recordedAt.toISOString(),
  }));
  return {
    posts: lines,
    followUpsDone: lines.filter((l) => l.kind !== MAIN_POST).map((l) => l.kind),
    followUpPending: WAITING_STATES.includes(publicationState) && lines.some((l) => l.kind === MAIN_POST),
    removeByHand: lines
      .filter((l) => l.state === 'remove-by-hand')
      .map((l) => l.stateReason ?? `${l.externalUrl ?? l.externalId}: cần gỡ bằng tay`),
  };
}

/** The ledger in one Vietnamese line (the CLI's column): what exists where, what waits, what to remove by hand. */
export function describeLedger(ledger: PublicationLedger): string {
  const parts = ledger.posts.map((p) => {
    const what = p.kind === MAIN_POST ? 'bài' : p.kind;
    return `${what} ${p.externalUrl ?? p.externalId}${p.state === 'live' ? '' : ` (${PLATFORM_POST_STATE_LABELS[p.state]})`}`;
  });
  if (ledger.followUpPending) parts.push('bước sau: đang chờ');
  for (const line of ledger.removeByHand) parts.push(`CẦN GỠ BẰNG TAY: ${line}`);
  return parts.join(' · ');
}
