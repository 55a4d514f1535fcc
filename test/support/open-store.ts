import { createAdapters, startingChannels } from '../../channels';
import { readConfig } from '../../src/config';
import { openStore as openBareStore, type StoreDefaults } from '../../src/store';

/**
 * The store as a Loa process opens it (src/compose.ts): migrated, with the default unit and the channels its
 * platforms' adapters start it with ("rss", "radio", and those the environment gives).
 */
export function openStore(url: string, defaults: StoreDefaults) {
  return openBareStore(url, {
    startingChannels: (unit) => startingChannels(createAdapters(readConfig({})), unit),
    ...defaults,
  });
}
