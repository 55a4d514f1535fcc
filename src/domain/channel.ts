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
