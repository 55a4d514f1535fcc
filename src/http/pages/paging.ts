/**
 * One way for every desk list to page: a page number from the address (`?trang=2`), the rows it shows, and the
 * links to the pages around it, with the count a person reads ("21–40 trong 60 bài"). Pure: the routes count and
 * fetch their own rows with `offset` and `limit`.
 */

/** Rows per page when a list does not say (a phone shows about this many cards or lines in a few screens). */
export const PAGE_SIZE = 25;

export interface Paging {
  /** This page, from 1. */
  page: number;
  pages: number;
  total: number;
  offset: number;
  limit: number;
  /** The first and last row shown, counted from 1 (0 and 0 for an empty list). */
  first: number;
  last: number;
  /** Addresses of the pages before and after, or '' when there is none. */
  previous: string;
  next: string;
  /**
   * Direct links: the first page, a few around this one and the last, with `gapBefore` where numbers are skipped
   * (so page 6 of 6 is one tap away from page 2).
   */
  around: Array<{ page: number; href: string; current: boolean; gapBefore: boolean }>;
}

/** The page asked for in `?trang=`: a whole number from 1; anything else is page 1, a page past the end is the last. */
export function pagingOf(
  total: number,
  asked: string | undefined,
  href: (page: number) => string,
  size = PAGE_SIZE,
): Paging {
  const pages = Math.max(1, Math.ceil(total / size));
  const wanted = Number(asked);
  const page = Number.isSafeInteger(wanted) && wanted >= 1 ? Math.min(wanted, pages) : 1;
  const offset = (page - 1) * size;
  const shown = [1, pages];
  for (let p = Math.max(1, page - 2); p <= Math.min(pages, page + 2); p++) shown.push(p);
  const around = [...new Set(shown)]
    .sort((a, b) => a - b)
    .map((p, i, all) => ({ page: p, href: href(p), current: p === page, gapBefore: i > 0 && p - all[i - 1]! > 1 }));
  return {
    page,
    pages,
    total,
    offset,
    limit: size,
    first: total === 0 ? 0 : offset + 1,
    last: Math.min(total, offset + size),
    previous: page > 1 ? href(page - 1) : '',
    next: page < pages ? href(page + 1) : '',
    around,
  };
}

/** A list's address with its filters kept and `trang` set (page 1 leaves it out). */
export function pageHref(path: string, query: Record<string, string | undefined>): (page: number) => string {
  return (page) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query))
      if (value !== undefined && value !== '' && key !== 'trang') params.set(key, value);
    if (page > 1) params.set('trang', String(page));
    const text = params.toString();
    return text ? `${path}?${text}` : path;
  };
}
