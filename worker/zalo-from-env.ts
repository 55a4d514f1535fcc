import type { Kysely } from 'kysely';

import type { Adapters } from '../channels';
import { slugify } from '../src/domain/text';
import { hasChannelSecret, setChannelSecret } from '../src/store/channel-secrets';
import { saveChannel } from '../src/store/channels';
import type { Database } from '../src/store/schema';

/**
 * One-unit set-up: LOA_ZALO_ACCESS_TOKEN and LOA_ZALO_REFRESH_TOKEN give the default unit a `zalo` channel on start,
 * the pair stored encrypted. Only the first time: afterwards the database holds the rotating pair (the variables'
 * refresh token is spent after the first refresh), so a stored secret is never overwritten from the environment.
 */
export async function zaloChannelFromEnv(
  db: Kysely<Database>,
  adapters: Adapters,
  defaultUnit: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  const accessToken = env.LOA_ZALO_ACCESS_TOKEN?.trim();
  const refreshToken = env.LOA_ZALO_REFRESH_TOKEN?.trim();
  if (!accessToken || !refreshToken || !adapters.zalo?.prepareSecret) return false;
  const existing = await db.selectFrom('channels').select('id').where('id', '=', 'zalo').executeTakeFirst();
  if (existing && (await hasChannelSecret(db, 'zalo'))) return false;
  const secret = adapters.zalo.prepareSecret(JSON.stringify({ accessToken, refreshToken }), new Date());
  await db.transaction().execute(async (tx) => {
    if (!existing)
      await saveChannel(
        tx,
        { id: 'zalo', unitId: slugify(defaultUnit), platform: 'zalo', name: `Zalo OA ${defaultUnit}`, settings: {} },
        'loa',
      );
    await setChannelSecret(tx, 'zalo', secret, 'loa (LOA_ZALO_ACCESS_TOKEN)');
  });
  return true;
}
