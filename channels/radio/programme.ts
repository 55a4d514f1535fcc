import { PRIORITIES, type Priority } from '../../src/domain/content-item';
import { formatDuration, type Script } from './script';
import type { BroadcastSlot } from './station-settings';

/** Outcome of the WAV preview of one script, as kept beside it. */
/**
 * 'on-request': made the first time someone asks for it (RadioAdapter.audioPreview), not while publishing. 'written',
 * 'absent' and 'failed' are what sidecars written before that say; they are still read.
 */
export type PreviewNote =
  | { kind: 'on-request' }
  | { kind: 'written' }
  | { kind: 'off' }
  | { kind: 'absent' }
  | { kind: 'failed'; reason: string };

/** One published script as the day's programme sees it (read back from its sidecar). */
export interface ProgrammeEntry {
  publicationId: string;
  /** Local broadcast time, "HH:mm". */
  time: string;
  /** The title as written, for the announcer's running order. */
  title: string;
  priority: Priority;
  text: string;
  syllables: number;
  seconds: number;
  warnings: string[];
  preview: PreviewNote;
}

export interface SlotPlan {
  slot: BroadcastSlot;
  entries: ProgrammeEntry[];
}

export interface TimedSlot extends SlotPlan {
  opening: Script;
  closing: Script;
  /** Opening, every script and closing. */
  seconds: number;
  /** How far the slot runs over its length; 0 when it fits. */
  overBySeconds: number;
}

export interface Programme {
  stationName: string;
  /** "dd/LL/yyyy". */
  date: string;
  slots: TimedSlot[];
  /** For the editor and the announcer, never read on air. */
  notes: string[];
}

/** Khẩn cấp first (Thông tư 39/2020: an emergency is read before anything else), then ưu tiên, then thông thường. */
const PRIORITY_RANK: Record<Priority, number> = { 'khan-cap': 0, 'uu-tien': 1, 'thong-thuong': 2 };

/**
 * The slot a script in a day's folder is read in: the first starting at or after its time (a slot's programme is
 * read from its start, so a later script waits for the next one); a script later than every slot was carried over
 * from the evening before (see broadcastFor) and opens the day's first slot.
 */
export function slotFor(time: string, slots: readonly BroadcastSlot[]): BroadcastSlot {
  const sorted = [...slots].sort((a, b) => a.start.localeCompare(b.start));
  return sorted.find((slot) => slot.start >= time) ?? sorted[0]!;
}

/** Where a publication at a local time goes on air, and the note for the editor when that is not the slot it may have been meant for. */
export interface Broadcast {
  slot: BroadcastSlot;
  /** True when it goes to the next day's first slot (published after the day's last one began). */
  nextDay: boolean;
  /** Set when a slot of the day had already begun: the script waits for the next one (never silently into one that aired). */
  note: string | null;
}

/**
 * The broadcast a script at `time` ("HH:mm", local) is read in. A slot that has begun cannot take a script any more
 * (the announcer reads the programme printed before it), so the script goes to the next slot of the day, with a
 * note; after the day's last slot began it goes to the next morning's first slot rather than an evening one: commune
 * loudspeakers do not broadcast late at night, and a station that does has its evening slot in its settings.
 */
export function broadcastFor(time: string, slots: readonly BroadcastSlot[], nextDayLabel: string): Broadcast {
  const sorted = [...slots].sort((a, b) => a.start.localeCompare(b.start));
  const begun = sorted.filter((slot) => slot.start < time).at(-1);
  const next = sorted.find((slot) => slot.start >= time);
  if (next) {
    // A post at a slot's very start is on time for it; one later than a slot that began waits, and the editor is told.
    const note =
      begun && time !== next.start
        ? `đăng lúc ${time}, khi ${begun.name} (${begun.start}) đã bắt đầu: đọc ở ${next.name} (${next.start})`
        : null;
    return { slot: next, nextDay: false, note };
  }
  const first = sorted[0]!;
  return {
    slot: first,
    nextDay: true,
    note: `đăng lúc ${time}, sau buổi phát cuối trong ngày (${begun!.name} ${begun!.start}): đọc ở ${first.name} (${first.start}) ngày ${nextDayLabel}`,
  };
}

/** Groups entries into their slots (slots without entries are left out), each slot in priority order then time. */
export function groupIntoSlots(entries: readonly ProgrammeEntry[], slots: readonly BroadcastSlot[]): SlotPlan[] {
  const sorted = [...slots].sort((a, b) => a.start.localeCompare(b.start));
  const plans = new Map<BroadcastSlot, ProgrammeEntry[]>(sorted.map((slot) => [slot, []]));
  for (const entry of entries) plans.get(slotFor(entry.time, sorted))!.push(entry);
  return [...plans]
    .filter(([, list]) => list.length > 0)
    .map(([slot, list]) => ({
      slot,
      entries: list.sort(
        (a, b) =>
          PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
          a.time.localeCompare(b.time) ||
          a.publicationId.localeCompare(b.publicationId),
      ),
    }));
}

/** Adds the slot's opening and closing and measures it against its length. */
export function timeSlot(plan: SlotPlan, opening: Script, closing: Script): TimedSlot {
  const seconds = opening.seconds + closing.seconds + plan.entries.reduce((sum, e) => sum + e.seconds, 0);
  return { ...plan, opening, closing, seconds, overBySeconds: Math.max(0, seconds - plan.slot.minutes * 60) };
}

export function overLengthWarning(slot: TimedSlot): string | null {
  if (slot.overBySeconds === 0) return null;
  return (
    `${slot.slot.name} (${slot.slot.start}, ${slot.slot.minutes} phút): dự kiến đọc ${formatDuration(slot.seconds)}, ` +
    `vượt ${formatDuration(slot.overBySeconds)}; nên chuyển bớt bài thông thường sang buổi khác`
  );
}

/** The notes of a programme: over-length slots first, then previews, then each script's warnings. */
export function programmeNotes(slots: readonly TimedSlot[]): string[] {
  const notes: string[] = [];
  for (const slot of slots) {
    const warning = overLengthWarning(slot);
    if (warning) notes.push(warning);
  }
  const entries = slots.flatMap((s) => s.entries);
  if (entries.some((e) => e.preview.kind === 'absent')) notes.push('máy chưa cài espeak-ng: không có bản nghe thử WAV');
  for (const entry of entries) {
    if (entry.preview.kind === 'failed')
      notes.push(`${quote(entry.title)}: không tạo được bản nghe thử WAV (${entry.preview.reason})`);
  }
  for (const slot of slots) {
    for (const [part, script] of [
      ['lời mở đầu', slot.opening],
      ['lời kết', slot.closing],
    ] as const) {
      for (const warning of script.warnings) notes.push(`${slot.slot.name}, ${part}: ${warning}`);
    }
  }
  for (const entry of entries) for (const warning of entry.warnings) notes.push(`${quote(entry.title)}: ${warning}`);
  return notes;
}

/** Titles in notes are quoted, so the running order is the only place a title appears followed by ".". */
export function quote(title: string): string {
  return `“${title}”`;
}

export function priorityLabel(priority: Priority): string {
  return PRIORITIES[priority].toLocaleUpperCase('vi');
}
