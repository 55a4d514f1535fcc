import { DateTime } from 'luxon';

import { ValidationError } from './errors';
import { LOCAL_ZONE } from './time';

/**
 * A feed Loa reads news from (RSS 2.0 or Atom: a portal's administrative-reform category, a department's site).
 * Each new entry becomes a draft content item of the source's unit; nothing from a feed is published before a
 * supervisor approves it.
 */
export type SourceState = 'new' | 'ok' | 'failing';

export const SOURCE_STATE_LABELS: Record<SourceState, string> = { new: 'chưa đọc', ok: 'tốt', failing: 'lỗi' };

/**
 * A channel and time a source proposes for its drafts, e.g. radio the next morning at 07:00 is
 * `{ channelId: 'radio', dayOffset: 1, time: '07:00' }`. Applied only when an officer confirms.
 */
export interface SlotProposal {
  channelId: string;
  dayOffset: number;
  time: string;
}

export interface Source {
  id: number;
  url: string;
  unitId: string;
  planId: number | null;
  title: string | null;
  everyMinutes: number;
  proposals: SlotProposal[];
  etag: string | null;
  lastModified: string | null;
  state: SourceState;
  status: string;
  failures: number;
  polledAt: Date | null;
  succeededAt: Date | null;
  nextPollAfter: Date | null;
  createdBy: string;
  createdAt: Date;
}

const PROPOSAL = /^([a-z0-9][a-z0-9-]*)\s+(?:\+(\d{1,2})d\s+)?([01]?\d|2[0-3]):([0-5]\d)$/i;

/** "radio +1d 07:00, zalo 18:00" → proposals; errors name `field` and show the expected form. */
export function parseProposals(text: string, field: string): SlotProposal[] {
  if (text.trim() === '') return [];
  return text.split(',').map((part) => {
    const m = PROPOSAL.exec(part.trim());
    if (!m)
      throw new ValidationError(
        field,
        `"${part.trim()}" không hợp lệ; dùng dạng "kênh [+Nd] HH:MM", ví dụ "radio +1d 07:00, zalo 18:00" (+1d: ngày hôm sau)`,
      );
    return { channelId: m[1]!.toLowerCase(), dayOffset: Number(m[2] ?? 0), time: `${m[3]!.padStart(2, '0')}:${m[4]}` };
  });
}

export function formatProposal(p: SlotProposal): string {
  return `${p.channelId}${p.dayOffset ? ` +${p.dayOffset}d` : ''} ${p.time}`;
}

/**
 * The publication times a source's proposals give an entry: `dayOffset` days after the day (Vietnam time) the entry
 * was published, at `time`. A time already past when Loa saw the entry moves to the next day, so a proposal never
 * lies in the past ("Zalo same day 18:00" for news seen at 19:00 becomes tomorrow 18:00).
 */
export function proposedTimes(
  proposals: SlotProposal[],
  publishedAt: Date | null,
  seenAt: Date,
): Array<{ channelId: string; at: Date }> {
  const base = DateTime.fromJSDate(publishedAt ?? seenAt)
    .setZone(LOCAL_ZONE)
    .startOf('day');
  return proposals.map((p) => {
    const [hour, minute] = p.time.split(':').map(Number);
    let at = base.plus({ days: p.dayOffset }).set({ hour, minute, second: 0, millisecond: 0 });
    while (at.toMillis() <= seenAt.getTime()) at = at.plus({ days: 1 });
    return { channelId: p.channelId, at: at.toJSDate() };
  });
}

/** How long a failing source waits before the next scheduled poll: its interval, doubled per failure, at most a day. */
export function backoffMs(everyMinutes: number, failures: number): number {
  return Math.min(everyMinutes * 60_000 * 2 ** Math.max(0, failures - 1), 24 * 3600_000);
}
