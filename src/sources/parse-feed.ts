import { createHash } from 'node:crypto';

import { compile } from 'html-to-text';
import Parser from 'rss-parser';

import type { FeedEntry } from '../domain/feed-entry';
import { nfc } from '../domain/text';
import { FeedProblem } from './feed-problem';

export type { FeedEntry } from '../domain/feed-entry';

export interface ParsedFeed {
  title: string | null;
  entries: FeedEntry[];
}

type Media = { $?: { url?: string; medium?: string; type?: string } };
type ExtraFields = { id?: string; 'content:encoded'?: string; mediaContent?: Media[]; mediaThumbnail?: Media };

const parser = new Parser<Record<string, unknown>, ExtraFields>({
  customFields: {
    item: ['id', ['media:content', 'mediaContent', { keepArray: true }], ['media:thumbnail', 'mediaThumbnail']],
  },
});

const TITLE_MAX = 300;
const SUMMARY_MAX = 20_000;

/** Where the image formatter puts the <img> sources it meets; set around each (synchronous) conversion. */
let collectedImages: string[] = [];

/** Compiled once: html-to-text's options take far longer to prepare than a short summary takes to convert. */
const convertHtml = compile({
  wordwrap: false,
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'collectImage' },
  ],
  formatters: {
    collectImage: (elem) => {
      const src = (elem as { attribs?: Record<string, string> }).attribs?.src;
      if (src) collectedImages.push(src);
    },
  },
});

/** Feed HTML → plain text: scripts, styles and markup dropped, link targets not spelled out, images collected. */
function htmlToText(html: string, images: string[] = []): string {
  // Plain text (most titles) has nothing to convert.
  let text = html;
  if (/[<&]/.test(html)) {
    collectedImages = images;
    try {
      text = convertHtml(html);
    } finally {
      collectedImages = [];
    }
  }
  return nfc(text)
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** An absolute http(s) address, resolved against the feed's own address; anything else is dropped. */
function absoluteUrl(value: unknown, base: string): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  try {
    const url = new URL(value.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function imageOf(item: Parser.Item & ExtraFields, inline: string[], base: string): string | null {
  const enclosure = item.enclosure?.type?.startsWith('image/') ? item.enclosure.url : undefined;
  const media = item.mediaContent?.find((m) => m.$?.medium === 'image' || m.$?.type?.startsWith('image/'))?.$?.url;
  const candidates = [enclosure, media, item.mediaThumbnail?.$?.url, ...inline];
  for (const candidate of candidates) {
    const url = absoluteUrl(candidate, base);
    if (url) return url;
  }
  return null;
}

function entryOf(item: Parser.Item & ExtraFields, base: string): FeedEntry | null {
  const images: string[] = [];
  const title = clip(htmlToText(String(item.title ?? ''), []).replace(/\s+/g, ' '), TITLE_MAX);
  // The summary, not the whole article: Atom's summary, else RSS description (Atom content), else content:encoded.
  const html = String(item.summary ?? item.content ?? item['content:encoded'] ?? '');
  const summary = clip(htmlToText(html, images), SUMMARY_MAX);
  const link = absoluteUrl(item.link, base);
  const heading = title || clip(summary.replace(/\s+/g, ' '), 80);
  if (!heading) return null; // nothing a person could recognise it by
  const rawGuid = typeof item.guid === 'string' ? item.guid : typeof item.id === 'string' ? item.id : '';
  const guid =
    nfc(rawGuid).trim().slice(0, 1000) || `tieu-de:${createHash('sha256').update(heading).digest('hex').slice(0, 32)}`;
  const published = item.isoDate ? new Date(item.isoDate) : null;
  return {
    guid,
    link,
    title: heading,
    summary: summary || heading,
    image: imageOf(item, images, base),
    publishedAt: published && !Number.isNaN(published.getTime()) ? published : null,
  };
}

/** Parses RSS 2.0 / RSS 1.0 / Atom text with rss-parser; a body that is not a feed is a FeedProblem. */
export async function parseFeed(xml: string, baseUrl: string): Promise<ParsedFeed> {
  let output: Parser.Output<ExtraFields>;
  try {
    output = await parser.parseString(xml);
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0]!.slice(0, 200);
    throw new FeedProblem('invalid-feed', `Nội dung tải về không phải RSS hay Atom hợp lệ (${reason})`);
  }
  const title = output.title ? clip(htmlToText(String(output.title)).replace(/\s+/g, ' '), TITLE_MAX) || null : null;
  const entries = (output.items ?? []).map((item) => entryOf(item, baseUrl)).filter((e): e is FeedEntry => e !== null);
  return { title, entries };
}
