import { ChannelError } from '../types';
import type { ArticleBodyItem, ArticleCreateRequest } from './api-types';
import type { ZaloSettings } from './zalo-settings';

/** Zalo's documented limits for a normal article. */
export const ARTICLE_LIMITS = { title: 150, author: 50, description: 300, imageBytes: 1024 * 1024 } as const;

/** What templates/zalo.liquid renders, read back into parts. */
export interface RenderedArticle {
  title: string;
  author: string;
  description: string;
  cover: string;
  body: ArticleBodyItem[];
}

const HEADERS = { 'tiêu đề': 'title', 'tác giả': 'author', 'mô tả': 'description', 'ảnh bìa': 'cover' } as const;
const IMAGE_LINE = /^ảnh:\s*(\S+)\s*(?:\|\s*(.*))?$/i;

/**
 * Reads the rendered template: header lines "Tiêu đề: …", "Tác giả: …", "Mô tả: …", "Ảnh bìa: …", a line "---",
 * then the body, whose blank-line-separated paragraphs become text items and whose lines "Ảnh: URL | chú thích"
 * become image items.
 */
export function parseRenderedArticle(rendered: string): RenderedArticle {
  const lines = rendered.normalize('NFC').split(/\r?\n/);
  const separator = lines.findIndex((line) => line.trim() === '---');
  if (separator < 0)
    throw new ChannelError(
      'bad-content',
      'mẫu zalo.liquid phải có dòng "---" ngăn phần đầu (Tiêu đề, Tác giả, Mô tả, Ảnh bìa) với thân bài',
    );
  const head: Record<string, string> = {};
  for (const line of lines.slice(0, separator)) {
    const match = /^([^:]+):\s*(.*)$/.exec(line.trim());
    const key = match ? HEADERS[match[1]!.trim().toLowerCase() as keyof typeof HEADERS] : undefined;
    if (key) head[key] = match![2]!.trim();
  }
  const body: ArticleBodyItem[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    const content = paragraph.join('\n').trim();
    if (content) body.push({ type: 'text', content });
    paragraph = [];
  };
  for (const line of lines.slice(separator + 1)) {
    const image = IMAGE_LINE.exec(line.trim());
    if (image) {
      flush();
      body.push(
        image[2] ? { type: 'image', url: image[1]!, caption: image[2].trim() } : { type: 'image', url: image[1]! },
      );
    } else if (line.trim() === '') flush();
    else paragraph.push(line);
  }
  flush();
  return {
    title: head.title ?? '',
    author: head.author ?? '',
    description: head.description ?? '',
    cover: head.cover ?? '',
    body,
  };
}

function tooLong(field: string, label: string, value: string, max: number): void {
  const length = [...value].length;
  if (length === 0) throw new ChannelError('bad-content', `${label} (${field}) của bài Zalo không được để trống`);
  if (length > max)
    throw new ChannelError(
      'bad-content',
      `${label} (${field}) của bài Zalo dài ${length} ký tự, Zalo chỉ nhận tối đa ${max}`,
    );
}

/** The create request for an article, its text limits checked first (images are checked separately, over the network). */
export function articleRequest(article: RenderedArticle, settings: ZaloSettings): ArticleCreateRequest {
  tooLong('title', 'Tiêu đề', article.title, ARTICLE_LIMITS.title);
  tooLong('author', 'Tác giả', article.author, ARTICLE_LIMITS.author);
  tooLong('description', 'Mô tả', article.description, ARTICLE_LIMITS.description);
  const cover = article.cover || settings.coverUrl;
  if (!cover)
    throw new ChannelError(
      'bad-content',
      'bài Zalo cần ảnh bìa (cover): nội dung chưa có ảnh và kênh chưa đặt coverUrl',
    );
  if (article.body.length === 0) throw new ChannelError('bad-content', 'thân bài (body) của bài Zalo trống');
  return {
    type: 'normal',
    title: article.title,
    author: article.author,
    cover: { cover_type: 'photo', photo_url: cover, status: 'show' },
    description: article.description,
    body: article.body,
    status: 'show',
    comment: settings.comments ? 'show' : 'hide',
  };
}

/** Every image the article uses, with the field a person would fix. */
export function articleImages(request: ArticleCreateRequest): Array<{ field: string; label: string; url: string }> {
  const images = [{ field: 'cover', label: 'Ảnh bìa', url: request.cover.photo_url }];
  request.body.forEach((item, i) => {
    if (item.type === 'image')
      images.push({ field: `body.${i + 1}`, label: `Ảnh thứ ${images.length} trong thân bài`, url: item.url });
  });
  return images;
}
