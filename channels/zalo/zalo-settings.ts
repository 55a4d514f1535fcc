import { z } from 'zod';

import type { ZaloPackage } from './broadcast-limits';

/** A Zalo channel's settings (`loa channels add … --settings`); every field is optional. */
export interface ZaloSettings {
  /** Readers may comment on the articles. Default true. */
  comments: boolean;
  /**
   * After the article, send it to the OA's followers: "never" (default), "always", or "urgent" (only items of
   * priority khẩn cấp). Zalo limits broadcasts per follower (broadcast-limits.ts), so the default spends none.
   */
  broadcast: 'never' | 'always' | 'urgent';
  /** Cover photo used when an item has no image (Zalo requires a cover). */
  coverUrl: string | null;
  /** How long to wait for Zalo to process a new article before trying again later. Default 120 s. */
  verifyTimeoutS: number;
  /**
   * The OA's package (broadcast-limits.ts): how many broadcasts each follower may receive a month (co-ban 1,
   * dung-thu and nang-cao 4, premium 6). Unset: counted as nang-cao; `loa doctor` shows what Zalo says.
   */
  package: ZaloPackage | null;
  /** Day of the month the OA's package renews (its allowance of broadcasts restarts then). Unset: not known. */
  renewalDay: number | null;
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

const ALLOWED = 'các mục được phép: comments, broadcast, coverUrl, verifyTimeoutS, package, renewalDay';

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
    package: z
      .enum(['co-ban', 'dung-thu', 'nang-cao', 'premium'], {
        error: 'phải là "co-ban", "dung-thu", "nang-cao" hoặc "premium" (gói dịch vụ của OA)',
      })
      .nullable()
      .default(null),
    renewalDay: z
      .number({ error: 'phải là ngày trong tháng (1–31) gói dịch vụ của OA được gia hạn' })
      .int('phải là số nguyên')
      .min(1, 'từ 1 đến 31')
      .max(31, 'từ 1 đến 31')
      .nullable()
      .default(null),
  },
  { error: ALLOWED },
);

export function readZaloSettings(settings: Record<string, unknown>): ZaloSettings {
  const result = schema.safeParse(settings);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field =
    issue.path.map(String).join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : 'settings');
  throw new ZaloSettingsError(
    field,
    issue.code === 'unrecognized_keys' ? `không có mục này; ${ALLOWED}` : issue.message,
  );
}
