import type { ChannelAccount } from '../domain/channel';

/**
 * Channels a one-unit set-up gets from its environment on start, beside rss and radio. Only the account's
 * public settings are stored; its secret stays in the environment (read by the channel when it publishes).
 */
export function channelsFromEnv(env: NodeJS.ProcessEnv, unit: { id: string; name: string }): ChannelAccount[] {
  const channels: ChannelAccount[] = [];
  const pageId = env.LOA_FACEBOOK_PAGE_ID?.trim();
  if (pageId && env.LOA_FACEBOOK_PAGE_TOKEN)
    channels.push({
      id: 'facebook',
      unitId: unit.id,
      platform: 'facebook',
      name: `Trang Facebook ${unit.name}`,
      settings: { pageId },
    });
  return channels;
}
