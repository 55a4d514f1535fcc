import type { Platform, StartingChannel, Unit } from '../src/domain/channel';
import { Platforms } from '../src/domain/platforms';
import { type ChannelDescriptor, type ChannelSettings, declaredEnv } from './descriptor';
import { REGISTRY } from './registry';
import { Templates } from './template';
import { type ChannelAdapter, ChannelError, type ChannelServices } from './types';

export type Adapters = Partial<Record<Platform, ChannelAdapter>>;

/**
 * The adapters this installation can publish with, one per descriptor of `registry`. `services` (secrets, account
 * pace) is given by the worker and by `loa doctor`; without it adapters can still render and check settings.
 */
export function createAdapters(
  settings: ChannelSettings,
  services?: ChannelServices,
  /** The platforms' settings (LOA_FACEBOOK_*, LOA_ZALO_*); the demo passes its fakes' here, never into process.env. */
  env: NodeJS.ProcessEnv = process.env,
  /** The platforms; tests add one of their own. */
  registry: readonly ChannelDescriptor[] = REGISTRY,
): Adapters {
  const templates = new Templates(settings.templatesDir);
  return Object.fromEntries(
    registry.map((descriptor) => [
      descriptor.name,
      descriptor.create({ templates, settings, services, env: declaredEnv(descriptor, env) }),
    ]),
  );
}

const installed = new WeakMap<readonly ChannelDescriptor[], Platforms>();

/** What generic code is told of the platforms of `registry` (names, labels, a plan's words, publishing times). */
export function platformsOf(registry: readonly ChannelDescriptor[]): Platforms {
  let platforms = installed.get(registry);
  if (!platforms) installed.set(registry, (platforms = new Platforms(registry)));
  return platforms;
}

/** The platforms of this installation: handed to the importer, the calendar, the report and the queue. */
export const PLATFORMS: Platforms = platformsOf(REGISTRY);

/** The channels a one-unit set-up starts with for `unit`, as each platform's adapter declares them. */
export function startingChannels(
  adapters: Adapters,
  unit: Unit,
  env: NodeJS.ProcessEnv = process.env,
  registry: readonly ChannelDescriptor[] = REGISTRY,
): StartingChannel[] {
  return registry.flatMap(
    (descriptor) => adapters[descriptor.name]?.startingChannel?.(unit, declaredEnv(descriptor, env)) ?? [],
  );
}

export function adapterFor(adapters: Adapters, platform: Platform): ChannelAdapter {
  const adapter = adapters[platform];
  if (!adapter) throw new ChannelError('reconnect', `Loa chưa đăng được lên nền tảng "${platform}"`);
  return adapter;
}

export { type AdapterContext, type ChannelDescriptor, type ChannelSettings } from './descriptor';
export { REGISTRY } from './registry';
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
