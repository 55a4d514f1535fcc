import type { Platform } from '../src/domain/channel';
import { RadioAdapter } from './radio/radio-adapter';
import { RssAdapter } from './rss/rss-adapter';
import { Templates } from './template';
import { ChannelError, type ChannelAdapter } from './types';

export interface ChannelSettings {
  templatesDir: string;
  exportDir: string;
  publicUrl: string;
}

export type Adapters = Partial<Record<Platform, ChannelAdapter>>;

/** The adapters this installation can publish with. Facebook and Zalo join here when they are built. */
export function createAdapters(settings: ChannelSettings): Adapters {
  const templates = new Templates(settings.templatesDir);
  return {
    rss: new RssAdapter(templates, settings.publicUrl),
    radio: new RadioAdapter(templates, settings.exportDir),
  };
}

export function adapterFor(adapters: Adapters, platform: Platform): ChannelAdapter {
  const adapter = adapters[platform];
  if (!adapter) throw new ChannelError('reconnect', `Loa chưa đăng được lên nền tảng "${platform}"`);
  return adapter;
}

export { ChannelError, type AttemptContext, type ChannelAdapter, type ChannelPreview, type PostContext, type PublishOutcome, type PublishResult, type Reconciliation } from './types';
export { TemplateError } from './template';
