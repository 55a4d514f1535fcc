/** One entry of a source feed, as Loa keeps it: plain NFC text, absolute http(s) links, a UTC time or none. */
export interface FeedEntry {
  /** The feed's guid (RSS) or id (Atom); entries with neither get one from their title, so they still dedupe. */
  guid: string;
  link: string | null;
  title: string;
  summary: string;
  image: string | null;
  publishedAt: Date | null;
}
