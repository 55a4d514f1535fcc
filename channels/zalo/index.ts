import type { ChannelDescriptor } from '../descriptor';
import type { Templates } from '../template';
import { ZaloClient } from './client';
import { ZaloConnector } from './connect';
import { type ExclusiveLock, LocalLock, type SecretStore, ZaloTokens } from './tokens';
import { ZaloAdapter } from './zalo-adapter';

/** What the Zalo adapter reads from the environment; none of it is printed. */
export interface ZaloEnvironment {
  /** LOA_ZALO_API_URL: the OpenAPI host (default https://openapi.zalo.me). */
  apiUrl?: string;
  /** LOA_ZALO_OAUTH_URL: the OAuth host (default https://oauth.zaloapp.com). */
  oauthUrl?: string;
  /** LOA_ZALO_APP_ID / LOA_ZALO_SECRET_KEY: the Zalo app that refreshes tokens, unless a channel's secret has its own. */
  appId?: string;
  secretKey?: string;
}

export function zaloEnvironment(env: NodeJS.ProcessEnv = process.env): ZaloEnvironment {
  return {
    apiUrl: env.LOA_ZALO_API_URL || undefined,
    oauthUrl: env.LOA_ZALO_OAUTH_URL || undefined,
    appId: env.LOA_ZALO_APP_ID || undefined,
    secretKey: env.LOA_ZALO_SECRET_KEY || undefined,
  };
}

/**
 * The Zalo adapter. `services` (the encrypted channel secrets, and a lock held across processes) are given where
 * Loa publishes; without them the adapter can still render and check settings.
 */
export function createZaloAdapter(
  templates: Templates,
  services?: SecretStore & {
    exclusive?: ExclusiveLock['run'];
    stepTimes?: (channelId: string, step: string, since: Date) => Promise<Date[]>;
  },
  env = zaloEnvironment(),
  /** The clock token expiries are read by (tests move it); default the system's. */
  now?: () => Date,
): ZaloAdapter {
  const client = new ZaloClient({ apiUrl: env.apiUrl, oauthUrl: env.oauthUrl });
  const lock: ExclusiveLock = services?.exclusive
    ? { run: (key, fn) => services.exclusive!(key, fn) }
    : new LocalLock();
  const tokens = services
    ? new ZaloTokens(services, lock, client, { appId: env.appId, secretKey: env.secretKey }, now)
    : null;
  const stepTimes = services?.stepTimes;
  return new ZaloAdapter({
    templates,
    client,
    tokens,
    connector: new ZaloConnector(client, { appId: env.appId, secretKey: env.secretKey }, now),
    ...(now ? { now } : {}),
    ...(stepTimes ? { stepTimes: (channelId, step, since) => stepTimes(channelId, step, since) } : {}),
  });
}

/** A Zalo Official Account, through the Zalo OA OpenAPI. */
export const zalo: ChannelDescriptor = {
  name: 'zalo',
  label: 'Zalo OA',
  words: ['zalo'],
  socialNetwork: true,
  /** Zalo followers read in the morning: Thursdays at 09:00. */
  publishingTime: { weekday: 4, hour: 9, minute: 0 },
  env: [
    'LOA_ZALO_API_URL',
    'LOA_ZALO_OAUTH_URL',
    'LOA_ZALO_APP_ID',
    'LOA_ZALO_SECRET_KEY',
    'LOA_ZALO_ACCESS_TOKEN',
    'LOA_ZALO_REFRESH_TOKEN',
  ],
  create: ({ templates, services, env }) => createZaloAdapter(templates, services, zaloEnvironment(env)),
};

export { ZaloClient } from './client';
export { type ExclusiveLock, LocalLock, newZaloSecret, parseZaloSecret, type SecretStore, ZaloTokens } from './tokens';
export { ZaloAdapter } from './zalo-adapter';
