import type { PostContext } from '../types';
import { ChannelError } from '../types';

/** What Loa sends to a Page: a text post with an optional link, or a photo with its caption. */
export type PostDraft =
  { kind: 'feed'; message: string; link: string | null } | { kind: 'photo'; message: string; imageUrl: string };

/** Facebook's limit on a post's text (and a photo's caption). */
export const MAX_MESSAGE_CHARS = 63_206;
const MAX_URL_CHARS = 2_000;
/** Formats Facebook takes for a photo by URL. A URL without an extension is left to Facebook to judge. */
const PHOTO_EXTENSIONS = new Set(['jpg', 'jpeg', 'png', 'gif', 'bmp', 'tif', 'tiff']);

function checkUrl(value: string, field: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ChannelError('bad-content', `${field}: "${value.slice(0, 80)}" không phải địa chỉ web đầy đủ`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ChannelError('bad-content', `${field}: Facebook chỉ nhận địa chỉ http:// hoặc https://`);
  if (value.length > MAX_URL_CHARS)
    throw new ChannelError('bad-content', `${field}: địa chỉ dài quá ${MAX_URL_CHARS} ký tự`);
}

/**
 * The post for an item as rendered, checked against Facebook's limits before any call, so an item that cannot
 * go out fails at once with the field to fix (bad-content: no retry until it is edited).
 */
export function draftPost(post: PostContext, rendered: string): PostDraft {
  const message = rendered.normalize('NFC').trim();
  if (message === '')
    throw new ChannelError('bad-content', 'nội dung bài (message): mẫu facebook.liquid cho ra văn bản trống');
  const length = [...message].length;
  if (length > MAX_MESSAGE_CHARS)
    throw new ChannelError(
      'bad-content',
      `nội dung bài (message): dài ${length} ký tự, Facebook chỉ nhận tối đa ${MAX_MESSAGE_CHARS}; rút gọn nội dung (body) của mục ${post.item.id}`,
    );
  if (post.item.image) {
    checkUrl(post.item.image, 'ảnh (image)');
    const extension = /\.([a-z0-9]+)$/i.exec(new URL(post.item.image).pathname)?.[1]?.toLowerCase();
    if (extension && !PHOTO_EXTENSIONS.has(extension))
      throw new ChannelError(
        'bad-content',
        `ảnh (image): Facebook không nhận ảnh .${extension}; dùng JPEG, PNG, GIF, BMP hoặc TIFF`,
      );
    return { kind: 'photo', message, imageUrl: post.item.image };
  }
  if (post.item.link) checkUrl(post.item.link, 'đường link (link)');
  return { kind: 'feed', message, link: post.item.link ?? null };
}
