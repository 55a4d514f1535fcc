/**
 * A channel is an account on a platform owned by a unit: the portal feed, a Zalo OA, a Facebook Page, a commune
 * radio station. Generic code knows platforms only by these names; what each one does lives in channels/.
 */
export const PLATFORMS = ['rss', 'radio', 'facebook', 'zalo'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const PLATFORM_LABELS: Record<Platform, string> = {
  rss: 'Cổng/Trang thông tin điện tử',
  radio: 'Đài truyền thanh cơ sở',
  facebook: 'Facebook',
  zalo: 'Zalo OA',
};

export interface ChannelAccount {
  id: string;
  unitId: string;
  platform: Platform;
  name: string;
  settings: Record<string, unknown>;
}

export interface Unit {
  id: string;
  name: string;
}

/**
 * A channel a one-unit set-up starts with (LOA_UNIT), declared by its platform's adapter: made for the default unit
 * when Loa starts and it is missing; `secret` (stored encrypted, `secretFrom` naming where it came from for the
 * record) only while none is stored, so a rotated secret is never overwritten from the environment.
 */
export interface StartingChannel {
  channel: Omit<ChannelAccount, 'unitId'>;
  secret?: string;
  secretFrom?: string;
}

/** A platform's usual publishing moment in local time: weekday 1 (Monday) to 7, hour and minute. */
export interface PublishingTime {
  weekday: number;
  hour: number;
  minute: number;
}
