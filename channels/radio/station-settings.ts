import { z } from 'zod';

import type { Dialect } from '../../src/speech';

/** One broadcast of the day: the station reads its programme from `start` for at most `minutes`. */
export interface BroadcastSlot {
  name: string;
  /** Local (Vietnam) time, "HH:mm". */
  start: string;
  minutes: number;
}

/** A radio station's settings, read from `ChannelAccount.settings`; every field is optional there. */
export interface StationSettings {
  /** Vocabulary of the spoken numbers and dates. Default 'north'. */
  dialect: Dialect;
  /** Reading speed used for the time estimate and the WAV preview. Default 200 syllables a minute. */
  syllablesPerMinute: number;
  /** A sentence longer than this many syllables is split at a comma or a conjunction. Default 28. */
  breathSyllables: number;
  /** The day's broadcasts. Default: Buổi sáng 06:00 and Buổi chiều 17:00, 15 minutes each. */
  slots: BroadcastSlot[];
  /** Write a WAV preview with espeak-ng when it is installed. Default true. */
  preview: boolean;
  /** espeak-ng voice. Default 'vi' (northern) or 'vi-vn-x-south' for the southern dialect. */
  voice: string;
}

export const DEFAULT_SLOTS: readonly BroadcastSlot[] = [
  { name: 'Buổi sáng', start: '06:00', minutes: 15 },
  { name: 'Buổi chiều', start: '17:00', minutes: 15 },
];

const VOICES: Record<Dialect, string> = { north: 'vi', south: 'vi-vn-x-south' };

/** A setting an officer wrote wrong: names the field (e.g. "slots.1.start") and says why, in Vietnamese. */
export class StationSettingsError extends Error {
  override name = 'StationSettingsError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`cài đặt đài, mục "${field}": ${reason}`);
  }
}

const wholeNumber = (field: string, min: number, max: number) =>
  z
    .number({ error: `${field} phải là một số` })
    .int(`${field} phải là số nguyên`)
    .min(min, `${field} phải từ ${min} trở lên`)
    .max(max, `${field} không quá ${max}`);

const slot = z.strictObject(
  {
    name: z
      .string({ error: 'tên buổi phát phải là chữ' })
      .trim()
      .min(1, 'tên buổi phát không được để trống')
      .max(60, 'tên buổi phát dài quá 60 ký tự'),
    start: z
      .string({ error: 'giờ bắt đầu phải là chữ dạng "06:00"' })
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'giờ bắt đầu phải có dạng HH:mm, ví dụ "06:00" hoặc "17:30"'),
    minutes: wholeNumber('số phút', 1, 240),
  },
  { error: 'mỗi buổi phát phải có dạng { "name": "Buổi sáng", "start": "06:00", "minutes": 15 }' },
);

const schema = z.strictObject({
  dialect: z
    .enum(['north', 'south'], { error: 'phương ngữ phải là "north" (Bắc) hoặc "south" (Nam)' })
    .default('north'),
  syllablesPerMinute: wholeNumber('tốc độ đọc (âm tiết/phút)', 80, 400).default(200),
  breathSyllables: wholeNumber('số âm tiết tối đa một hơi', 12, 80).default(28),
  slots: z
    .array(slot, { error: 'danh sách buổi phát phải là một mảng' })
    .min(1, 'cần ít nhất một buổi phát')
    .max(12, 'nhiều nhất 12 buổi phát một ngày')
    .default(() => DEFAULT_SLOTS.map((s) => ({ ...s }))),
  preview: z.boolean({ error: 'preview phải là true hoặc false' }).default(true),
  voice: z
    .string({ error: 'giọng đọc phải là chữ' })
    .regex(/^[a-zA-Z0-9_+-]+$/, 'giọng đọc chỉ gồm chữ, số và dấu "-", ví dụ "vi"')
    .optional(),
});

/** Reads a station's settings with their defaults; throws StationSettingsError naming the first bad field. */
export function parseStationSettings(raw: unknown): StationSettings {
  const result = schema.safeParse(raw ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.join(', ');
      throw new StationSettingsError(
        path ? `${path}.${issue.keys[0]}` : issue.keys[0]!,
        `không có mục cài đặt "${keys}" (gõ sai tên?)`,
      );
    }
    throw new StationSettingsError(path || 'settings', issue.message);
  }
  const { voice, ...settings } = result.data;
  const slots = [...settings.slots].sort((a, b) => a.start.localeCompare(b.start));
  for (let i = 1; i < slots.length; i++) {
    if (slots[i]!.start === slots[i - 1]!.start) {
      throw new StationSettingsError(
        `slots.${settings.slots.indexOf(slots[i]!)}.start`,
        `hai buổi phát cùng bắt đầu lúc ${slots[i]!.start}`,
      );
    }
  }
  return { ...settings, slots, voice: voice ?? VOICES[settings.dialect] };
}
