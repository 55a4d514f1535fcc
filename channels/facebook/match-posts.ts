import type { Reconciliation } from '../types';
import type { PostDraft } from './post-draft';

/**
 * A Page post as `GET /{page-id}/posts?fields=id,message,created_time,permalink_url,attachments{url,unshimmed_url,
 * target}` lists it (post-fields.ts). There is no `link` field since v3.3: a link post's link is in its attachment
 * (Graph API reference "Story Attachment": `unshimmed_url` is the address itself; `url` and `target.url` go through
 * Facebook's link shim, l.facebook.com/l.php?u=<address>).
 */
export interface ListedPost {
  id: string;
  message?: string;
  created_time?: string;
  permalink_url?: string;
  attachments?: { data?: Array<{ url?: string; unshimmed_url?: string; target?: { id?: string; url?: string } }> };
}

/** The address behind Facebook's link shim, or the address itself. */
function unshim(address: string): string {
  try {
    const url = new URL(address);
    if (/^(l|lm)\.facebook\.com$/.test(url.hostname) && url.pathname === '/l.php')
      return url.searchParams.get('u') ?? address;
  } catch {
    return address;
  }
  return address;
}

/** Two addresses are the same link when they are equal as URLs, a trailing slash aside. */
function sameLink(a: string, b: string): boolean {
  const norm = (x: string) => {
    try {
      return new URL(x).href.replace(/\/$/, '');
    } catch {
      return x.trim().replace(/\/$/, '');
    }
  };
  return norm(a) === norm(b);
}

/** Every link a listed post's attachments point to. */
export function linksOf(post: ListedPost): string[] {
  const out: string[] = [];
  for (const a of post.attachments?.data ?? []) {
    for (const value of [a.unshimmed_url, a.url, a.target?.url]) if (typeof value === 'string') out.push(unshim(value));
  }
  return out;
}

function addressOf(post: ListedPost): string {
  return post.permalink_url ?? `https://www.facebook.com/${post.id}`;
}

/**
 * What a complete listing says about `draft`: the one post with exactly its message (and, for a link post, its link
 * among the attachments) is `found`; no post with its message is `absent`; anything else is `cannot-tell`, naming the
 * posts a person should look at. A post with the same text but no readable link, or another link (Facebook may have
 * replaced the address with the page's canonical one), is never taken as absent: sending again could post twice.
 */
export function matchPosts(listed: readonly ListedPost[], draft: PostDraft): Reconciliation {
  const sameText = listed.filter((p) => p.message === draft.message);
  if (sameText.length === 0) return { status: 'absent' };
  const link = draft.kind === 'feed' ? draft.link : null;
  const confirmed = link === null ? sameText : sameText.filter((p) => linksOf(p).some((l) => sameLink(l, link)));
  if (confirmed.length === 1 && sameText.length === 1)
    return {
      status: 'found',
      externalId: confirmed[0]!.id,
      externalUrl: addressOf(confirmed[0]!),
      content: draft.message,
    };
  const addresses = sameText.map(addressOf).join(', ');
  if (confirmed.length === 0)
    return {
      status: 'cannot-tell',
      reason: `Trang có bài cùng nội dung nhưng Loa không đọc được đúng đường link ${link} trong bài (${addresses}); cần người kiểm tra trên Trang trước khi đăng lại (loa retry).`,
    };
  return {
    status: 'cannot-tell',
    reason: `Trang có ${sameText.length} bài cùng nội dung trong khoảng thời gian đăng (${addresses}); Loa không biết bài nào là của lần đăng này, cần người kiểm tra trên Trang.`,
  };
}
