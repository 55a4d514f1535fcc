import { XMLBuilder } from 'fast-xml-parser';

import { forDisplay } from '../domain/text';
import type { FeedEntry } from '../store/publications';
import { safeContentHtml } from './html';

export interface FeedInfo {
  title: string;
  description: string;
  /** The portal's address. */
  siteUrl: string;
  /** This feed's own address (atom:link rel="self"). */
  selfUrl: string;
}

/**
 * fast-xml-parser escapes every text and attribute exactly once (xmlbuilder2 leaves "&lt;" in text as it is,
 * which would let an officer's literal "&lt;" turn into "<" in readers).
 */
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  format: true,
  suppressEmptyNode: true,
});

/** RFC 822 dates, as RSS 2.0 requires ("Mon, 23 Nov 2026 01:30:00 GMT"). */
function rfc822(date: Date): string {
  return date.toUTCString();
}

/** RSS 2.0 of published entries. The guid is the publication's stable id; the description is the rendered HTML. */
export function renderRss(info: FeedInfo, entries: FeedEntry[]): string {
  const channel = {
    title: forDisplay(info.title),
    link: info.siteUrl,
    description: info.description,
    language: 'vi',
    'atom:link': { '@href': info.selfUrl, '@rel': 'self', '@type': 'application/rss+xml' },
    ...(entries[0] ? { lastBuildDate: rfc822(entries[0].publishedAt) } : {}),
    // Whatever was stored before text was checked at the door, the feed stays XML: control characters are dropped here too.
    item: entries.map((entry) => ({
      title: forDisplay(entry.title),
      ...(entry.link ? { link: forDisplay(entry.link) } : {}),
      guid: { '#text': entry.publicationId, '@isPermaLink': 'false' },
      pubDate: rfc822(entry.publishedAt),
      category: forDisplay(entry.areaName),
      description: safeContentHtml(entry.content),
    })),
  };
  return builder.build({
    '?xml': { '@version': '1.0', '@encoding': 'UTF-8' },
    rss: { '@version': '2.0', '@xmlns:atom': 'http://www.w3.org/2005/Atom', channel },
  });
}
