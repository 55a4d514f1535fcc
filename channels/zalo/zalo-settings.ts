import { z } from 'zod';

/** A Zalo channel's settings (`loa channels add … --settings`); every field is optional. */
export interface ZaloSettings {
  /** Readers may comment on the articles. Default true. */
  comments: boolean;
  /**
   * After the article, send it to the OA's followers: "never" (default), "always", or "urgent" (only items of
   * priority khẩn cấp). Broadcasts are limited per month by Zalo, so the default spends none.
   */
  broadcast: 'never' | 'always' | 'urgent';
  /** Cover photo used when an item has no image (Zalo requires a cover). */
  coverUrl: string | null;
  /** How long to wait for Zalo to process a new article before trying again later. Default 120 s. */
  verifyTimeoutS: number;
}

/** A setting an officer wrote wrong: names the field and says why, in Vietnamese. */
export class ZaloSettingsError extends Error {
  override name = 'ZaloSettingsError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`cài đặt Zalo OA, mục "${field}": ${reason}`);
  }
}

const schema = z.strictObject(
  {
    comments: z.boolean({ error: 'phải là true hoặc false' }).default(true),
    broadcast: z
      .enum(['never', 'always', 'urgent'], { error: 'phải là "never", "always" hoặc "urgent"' })
      .default('never'),
    coverUrl: z.url({ error: 'phải là địa chỉ web đầy đủ của ảnh, ví dụ https://…' }).nullable().default(null),
    verifyTimeoutS: z
      .number({ error: 'phải là một số giây' })
      .int('phải là số nguyên')
      .min(5, 'ít nhất 5 giây')
      .max(3600, 'không quá 3600 giây')
      .default(120),
  },
  { error: 'các mục được phép: comments, broadcast, coverUrl, verifyTimeoutS' },
);

export function readZaloSettings(settings: Record<string, unknown>): ZaloSettings {
  const result = schema.safeParse(settings);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field =
    issue.path.map(String).join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : 'settings');
  throw new ZaloSettingsError(
    field,
    issue.code === 'unrecognized_keys'
      ? 'không có mục này; các mục được phép: comments, broadcast, coverUrl, verifyTimeoutS'
      : issue.message,
  );
}
