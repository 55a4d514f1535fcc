import type { ChannelAdapter, PostContext, PublishOutcome } from '../types';
import { templateData, type Templates } from '../template';

/**
 * The portal feed. Publishing means recording the rendered entry: the feed (src/http) is built from
 * published publications, so publishing the same publication again changes nothing (idempotent).
 */
export class RssAdapter implements ChannelAdapter {
  readonly platform = 'rss' as const;
  readonly idempotent = true;

  constructor(
    private readonly templates: Templates,
    private readonly publicUrl: string,
  ) {}

  render(post: PostContext): Promise<string> {
    return this.templates.render('rss.liquid', templateData(post));
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
