import type { StartingChannel, Unit } from '../../src/domain/channel';
import { templateData, type Templates } from '../template';
import type { ChannelAdapter, ChannelPreview, PostContext, PublishOutcome } from '../types';

/** The portal's name for people. */
export const RSS_LABEL = 'Cổng/Trang thông tin điện tử';

/**
 * The portal feed. Publishing means recording the rendered entry: the feed (src/http) is built from
 * published publications, so publishing the same publication again changes nothing (idempotent).
 */
export class RssAdapter implements ChannelAdapter {
  readonly platform = 'rss' as const;
  readonly idempotent = true;
  /** Its posts are Loa's own (feed entries, post pages): a withdrawal takes them down. */
  readonly takenDownByWithdrawal = true;
  readonly publishesLocally = true;

  constructor(
    private readonly templates: Templates,
    private readonly publicUrl: string,
  ) {}

  /** Every unit has its portal feed from the start: "rss". */
  startingChannel(unit: Unit): StartingChannel {
    return { channel: { id: 'rss', platform: 'rss', name: `${RSS_LABEL} ${unit.name}`, settings: {} } };
  }

  /** The portal feed has no settings: a key given is a mistake (or smuggled data), refused by name. */
  checkSettings(settings: Record<string, unknown>): void {
    const keys = Object.keys(settings);
    if (keys.length)
      throw new Error(`kênh cổng thông tin không có cài đặt "${keys[0]}" (kênh này không có cài đặt nào)`);
  }

  render(post: PostContext): Promise<string> {
    return this.templates.render('rss.liquid', templateData(post));
  }

  /** The entry as a reader of the portal sees it: our template's markup turned back into lines of text. */
  preview(_post: PostContext, rendered: string): ChannelPreview {
    const text = rendered
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/p>/gi, '\n\n')
      .replace(/<[^>]*>/g, '')
      .replace(
        /&(lt|gt|quot|#39|#34|amp);/g,
        (_m, name: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", '#34': '"', amp: '&' })[name]!,
      )
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    return { text, warnings: [] };
  }

  async publish(post: PostContext, rendered: string): Promise<PublishOutcome> {
    return {
      status: 'sent',
      externalId: post.publication.id,
      externalUrl: post.item.link ?? `${this.publicUrl}/posts/${encodeURIComponent(post.publication.id)}`,
      content: rendered,
    };
  }
}
