import type { ChannelDescriptor } from '../descriptor';
import { RSS_LABEL, RssAdapter } from './rss-adapter';

/** The unit's portal (Cổng/Trang thông tin điện tử): its feed and post pages, served by Loa itself. */
export const rss: ChannelDescriptor = {
  name: 'rss',
  label: RSS_LABEL,
  words: ['cổng thông tin', 'trang thông tin điện tử', 'trang tin điện tử', 'website'],
  /** Portal news is read in the morning: Tuesdays at 08:00. */
  publishingTime: { weekday: 2, hour: 8, minute: 0 },
  servesFeed: true,
  env: [],
  create: ({ templates, settings }) => new RssAdapter(templates, settings.publicUrl),
};
