import type { PlatformFacts } from '../src/domain/platforms';
import type { Templates } from './template';
import type { ChannelAdapter, ChannelServices } from './types';

/** What every adapter may be made with: where templates and exports live, and the portal's address. */
export interface ChannelSettings {
  templatesDir: string;
  exportDir: string;
  publicUrl: string;
}

/** What a descriptor's `create` is given. */
export interface AdapterContext {
  templates: Templates;
  settings: ChannelSettings;
  /** Secrets, account pace, locks: given by the worker and `loa doctor`; absent, adapters still render and check. */
  services?: ChannelServices;
  /** The environment, holding only the variables the descriptor declares in `env`. */
  env: NodeJS.ProcessEnv;
}

/**
 * Everything Loa knows of one platform, declared in its folder in channels/ and listed once in the registry
 * (channels/registry.ts): its name, its Vietnamese name, the words that name it in a plan, when its audience is there
 * (`PlatformFacts`, handed to the importer, the calendar, the report and the queue), the environment variables it
 * reads, and how its adapter is made. Generic code never names a platform: it asks the registry.
 */
export interface ChannelDescriptor extends PlatformFacts {
  /**
   * The environment variables the platform reads (its settings and a one-unit set-up's account), each in the
   * README's table. `create` and `startingChannel` see these and no others.
   */
  env: readonly string[];
  create(context: AdapterContext): ChannelAdapter;
}

/** `env` cut to the variables a descriptor declares. */
export function declaredEnv(descriptor: ChannelDescriptor, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(descriptor.env.flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]]])));
}
