import type { Platform, PublishingTime, StartingChannel, Unit } from '../src/domain/channel';
import { FacebookAdapter, facebookOptionsFromEnv } from './facebook/facebook-adapter';
import { graphTargetFromEnv } from './facebook/graph-client';
import { RadioAdapter } from './radio/radio-adapter';
import { RssAdapter } from './rss/rss-adapter';
import { Templates } from './template';
import { type ChannelAdapter, ChannelError, type ChannelServices } from './types';
import { createZaloAdapter, zaloEnvironment } from './zalo';

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
export function createAdapters(
  settings: ChannelSettings,
  services?: ChannelServices,
  /** The platforms' settings (LOA_FACEBOOK_*, LOA_ZALO_*); the demo passes its fakes' here, never into process.env. */
  env: NodeJS.ProcessEnv = process.env,
): Adapters {
  const templates = new Templates(settings.templatesDir);
  return Object.fromEntries(
    Object.entries(REGISTRY).map(([platform, create]) => [platform, create({ templates, settings, services, env })]),
  );
}

interface AdapterContext {
  templates: Templates;
  settings: ChannelSettings;
  services?: ChannelServices;
  env: NodeJS.ProcessEnv;
}

/**
 * The registry: one line per platform, making its adapter. Everything else about a platform (its settings, its
 * environment variables, its calendar time, its starting channel, its previews) is declared by the adapter, and
 * generic code asks through these. A new platform is a new folder in channels/ and a line here (README).
 */
const REGISTRY: Record<Platform, (context: AdapterContext) => ChannelAdapter> = {
  rss: ({ templates, settings }) => new RssAdapter(templates, settings.publicUrl),
  radio: ({ templates, settings, services }) => new RadioAdapter(templates, settings.exportDir, { services }),
  facebook: ({ templates, services, env }) =>
    new FacebookAdapter(templates, facebookOptionsFromEnv(graphTargetFromEnv(env), env), services),
  zalo: ({ templates, services, env }) => createZaloAdapter(templates, services, zaloEnvironment(env)),
};

/** The channels a one-unit set-up starts with for `unit`, as each platform's adapter declares them. */
export function startingChannels(
  adapters: Adapters,
  unit: Unit,
  env: NodeJS.ProcessEnv = process.env,
): StartingChannel[] {
  return Object.values(adapters).flatMap((adapter) => adapter?.startingChannel?.(unit, env) ?? []);
}

/** When each platform's audience is there (the proposed calendar's slots), as each adapter declares it. */
export function publishingTimes(adapters: Adapters): Partial<Record<Platform, PublishingTime>> {
  return Object.fromEntries(
    Object.values(adapters).flatMap((adapter) =>
      adapter?.publishingTime ? [[adapter.platform, adapter.publishingTime]] : [],
    ),
  );
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
  type ChannelConnector,
  ChannelError,
  type ChannelPreview,
  type ChannelServices,
  type ConnectChoice,
  type PostContext,
  type PublishOutcome,
  type PublishResult,
  type Reconciliation,
  type TakeDownContext,
  type TakeDownOutcome,
  type TokenFacts,
} from './types';
