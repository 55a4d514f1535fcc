import { create } from 'xmlbuilder2';
import type { FeedEntry } from '../store/publications';

export interface FeedInfo {
  title: string;
  description: string;
  /** The portal's address. */
  siteUrl: string;
  /** This feed's own address (atom:link rel="self"). */
  selfUrl: string;
}

/** RFC 822 dates, as RSS 2.0 requires ("Mon, 23 Nov 2026 01:30:00 GMT"). */
function rfc822(date: Date): string {
  return date.toUTCString();
}

/** RSS 2.0 of published entries; xmlbuilder2 escapes every text node. The guid is the publication's stable id. */
export function renderRss(info: FeedInfo, entries: FeedEntry[]): string {
  const channel = create({ version: '1.0', encoding: 'UTF-8' })
    .ele('rss', { version: '2.0', 'xmlns:atom': 'http://www.w3.org/2005/Atom' })
    .ele('channel');
  channel.ele('title').txt(info.title);
  channel.ele('link').txt(info.siteUrl);
  channel.ele('description').txt(info.description);
  channel.ele('language').txt('vi');
  channel.ele('atom:link', { href: info.selfUrl, rel: 'self', type: 'application/rss+xml' });
  if (entries[0]) channel.ele('lastBuildDate').txt(rfc822(entries[0].publishedAt));
  for (const entry of entries) {
    const item = channel.ele('item');
    item.ele('title').txt(entry.title);
    if (entry.link) item.ele('link').txt(entry.link);
    item.ele('guid', { isPermaLink: 'false' }).txt(entry.publicationId);
    item.ele('pubDate').txt(rfc822(entry.publishedAt));
    item.ele('category').txt(entry.areaName);
    item.ele('description').txt(entry.content);
  }
  return channel.end({ prettyPrint: true });
}
