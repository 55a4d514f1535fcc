import { StateError, ValidationError } from './errors';

/**
 * scheduled → queued → publishing → published
 *                    ↘ failed (with reason) · unconfirmed (outcome unknown, needs a person or reconciliation)
 * scheduled/queued → cancelled (by a person) · expired (item not approved by its time)
 * expired → queued only when a supervisor approves the item later and asks for it (approve --requeue)
 * published → withdrawn (taken down by an officer: off the feed, kept in the log with who and why)
 */
export const PUBLICATION_STATES = [
  'scheduled',
  'queued',
  'publishing',
  'published',
  'failed',
  'unconfirmed',
  'cancelled',
  'expired',
  'withdrawn',
] as const;
export type PublicationState = (typeof PUBLICATION_STATES)[number];

export const STATE_LABELS: Record<PublicationState, string> = {
  scheduled: 'đã lên lịch',
  queued: 'trong hàng đợi',
  publishing: 'đang đăng',
  published: 'đã đăng',
  failed: 'thất bại',
  unconfirmed: 'chưa rõ kết quả',
  cancelled: 'đã hủy',
  expired: 'quá hạn chưa duyệt',
  withdrawn: 'đã gỡ',
};

/**
 * States a person typed, comma-separated: the keys (published) or the labels the log shows (đã đăng), in any case,
 * with or without diacritics ("da dang"). Unknown ones are refused naming the field and listing both forms.
 */
export function parseStates(text: string, field: string): PublicationState[] {
  const fold = (s: string) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[đĐ]/g, 'd')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  return text.split(',').map((typed) => {
    const wanted = fold(typed);
    const state = PUBLICATION_STATES.find((key) => fold(key) === wanted || fold(STATE_LABELS[key]) === wanted);
    if (!state) {
      const choices = PUBLICATION_STATES.map((key) => `${STATE_LABELS[key]} (${key})`).join(', ');
      throw new ValidationError(field, `"${typed.trim()}" không phải trạng thái; chọn trong: ${choices}`);
    }
    return state;
  });
}

/** States from which the scheduler still owes the publication a BullMQ job. */
export const PENDING_STATES: readonly PublicationState[] = ['scheduled', 'queued'];

const TRANSITIONS: Record<PublicationState, readonly PublicationState[]> = {
  scheduled: ['queued', 'publishing', 'cancelled', 'expired'],
  queued: ['scheduled', 'publishing', 'cancelled', 'expired'],
  publishing: ['published', 'failed', 'unconfirmed', 'queued', 'publishing'],
  unconfirmed: ['published', 'scheduled', 'queued', 'failed', 'cancelled'],
  failed: ['scheduled', 'queued'],
  published: ['withdrawn'],
  cancelled: [],
  expired: ['scheduled', 'queued', 'cancelled'],
  withdrawn: [],
};

export function canMove(from: PublicationState, to: PublicationState): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertMove(id: string, from: PublicationState, to: PublicationState): void {
  if (!canMove(from, to)) {
    throw new StateError(
      `Bài đăng ${id} đang ở trạng thái "${STATE_LABELS[from]}", không thể chuyển sang "${STATE_LABELS[to]}"`,
    );
  }
}

/**
 * The publication's id is also its BullMQ job id, so it must be deterministic from (item, channel, time) and
 * acceptable to BullMQ: no ':' and not only digits. Readable on purpose: supervisors see it in the log.
 * Example: "i42-rss-20261123T013000Z".
 */
export function publicationId(itemId: number, channelId: string, scheduledAt: Date): string {
  const compact = scheduledAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `i${itemId}-${channelId}-${compact}`;
}

export interface Publication {
  id: string;
  itemId: number;
  channelId: string;
  scheduledAt: Date;
  state: PublicationState;
  reason: string | null;
  content: string | null;
  externalId: string | null;
  externalUrl: string | null;
  attempts: number;
  queuedBy: string;
  claimedBy: string | null;
  leaseUntil: Date | null;
  publishedAt: Date | null;
  /** A published post taken down: who, when, why. */
  withdrawal?: { by: string; at: Date; reason: string } | null;
  createdAt: Date;
  updatedAt: Date;
}

export type AttemptOutcome =
  'started' | 'published' | 'failed' | 'retry' | 'unconfirmed' | 'interrupted' | 'reconciled';

export const ATTEMPT_LABELS: Record<AttemptOutcome, string> = {
  started: 'đang gửi',
  published: 'đã đăng',
  failed: 'thất bại',
  retry: 'sẽ thử lại',
  unconfirmed: 'chưa rõ',
  interrupted: 'bị gián đoạn',
  reconciled: 'đã đối chiếu',
};

/** One try at publishing, written before the channel is called and completed after. This is the publish log. */
export interface PublishAttempt {
  id: number;
  publicationId: string;
  attemptNo: number;
  worker: string;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: AttemptOutcome;
  externalId: string | null;
  externalUrl: string | null;
  error: string | null;
  /** Partial ids an adapter recorded mid-way (an upload, a job token), so a later attempt can resume. */
  steps: Readonly<Record<string, string>>;
  /** The platform's own code, subcode and trace id, beside the sentence for people. */
  trace: { code: string | null; subcode: string | null; traceId: string | null };
}

/** One published post as the database keeps it: exactly what was sent, and the item's title and priority. */
export interface StoredPost {
  publicationId: string;
  scheduledAt: Date;
  title: string;
  priority: import('./content-item').Priority;
  content: string;
}
