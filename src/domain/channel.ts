/**
 * A channel is an account on a platform owned by a unit: the portal feed, a Zalo OA, a Facebook Page, a commune
 * radio station. A platform is known by its name ('rss', 'zalo'…), declared with everything else about it by its
 * descriptor in channels/ (the registry); generic code is handed the registry's facts (`Platforms`, platforms.ts)
 * and checks a name against them where it arrives (CLI, forms, importer).
 */
export type Platform = string;

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
