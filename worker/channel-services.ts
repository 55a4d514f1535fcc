import type { Kysely } from 'kysely';

import type { ChannelServices } from '../channels/types';
import type { AccountPace } from '../src/queue/account-pace';
import type { RedisExclusiveLock } from '../src/queue/exclusive-lock';
import { stepTimes } from '../src/store/attempts';
import { readChannelSecretVersioned, replaceChannelSecret } from '../src/store/channel-secrets';
import { offAirAmong } from '../src/store/platform-posts';
import { listPublishedPosts } from '../src/store/publications';
import type { Database } from '../src/store/schema';

/**
 * What adapters may ask of Loa (channels/types.ts ChannelServices), wired to the store (encrypted secrets) and to
 * Redis (account pace). `by` names this process in the record of who rotated a secret.
 */
export function channelServices(
  db: Kysely<Database>,
  pace: AccountPace | null,
  by: string,
  lock?: RedisExclusiveLock,
  warn?: (message: string) => void,
): ChannelServices {
  return {
    warn,
    readSecret: (channelId) => readChannelSecretVersioned(db, channelId),
    replaceSecret: (channelId, version, value) => replaceChannelSecret(db, channelId, version, value, by),
    holdAccount: async (channelId, ms) => {
      // Without Redis (doctor) there is no shared pace to hold; a worker always has one.
      await pace?.hold(channelId, ms);
    },
    // Exclusive across worker processes through Redis; without it (doctor) within this process only.
    ...(lock ? { exclusive: <T>(key: string, fn: () => Promise<T>) => lock.run(key, fn) } : {}),
    publishedBetween: (channelId, from, to) => listPublishedPosts(db, channelId, from, to),
    stepTimes: (channelId, step, since) => stepTimes(db, channelId, step, since),
    offAirAmong: (channelId, ids) => offAirAmong(db, channelId, ids),
  };
}
