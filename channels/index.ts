import type { Platform } from '../src/domain/channel';
import { FacebookAdapter, facebookOptionsFromEnv } from './facebook/facebook-adapter';
import { graphTargetFromEnv } from './facebook/graph-client';
import { RadioAdapter } from './radio/radio-adapter';
import { RssAdapter } from './rss/rss-adapter';
import { Templates } from './template';
import { type ChannelAdapter, ChannelError, type ChannelServices } from './types';
import { createZaloAdapter } from './zalo';

export interface ChannelSettings {
  templatesDir: string;
  exportDir: string;
  publicUrl: string;
}

export type Adapters = Partial<Record<Platform, ChannelAdapter>>;

/**
 * The adapters this installation can publish with. `services` (secrets, account pace) is given by the worker and
 * by `loa doctor`; without it adapters can still render and check settings.
 */
export function createAdapters(settings: ChannelSettings, services?: ChannelServices): Adapters {
  const templates = new Templates(settings.templatesDir);
  return {
    rss: new RssAdapter(templates, settings.publicUrl),
    radio: new RadioAdapter(templates, settings.exportDir, { services }),
    facebook: new FacebookAdapter(templates, facebookOptionsFromEnv(graphTargetFromEnv()), services),
    zalo: createZaloAdapter(templates, services),
  };
}

export function adapterFor(adapters: Adapters, platform: Platform): ChannelAdapter {
  const adapter = adapters[platform];
  if (!adapter) throw new ChannelError('reconnect', `Loa chưa đăng được lên nền tảng "${platform}"`);
  return adapter;
}

export { TemplateError } from './template';
export {
  type AttemptContext,
  type ChannelAdapter,
  ChannelError,
  type ChannelPreview,
  type ChannelServices,
  type PostContext,
  type PublishOutcome,
  type PublishResult,
  type Reconciliation,
  type TakeDownContext,
  type TakeDownOutcome,
} from './types';
