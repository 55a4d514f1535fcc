import type { Kysely } from 'kysely';

import type { StartingChannel, Unit } from '../domain/channel';
import { hasChannelSecret, setChannelSecret } from './channel-secrets';
import { saveChannel } from './channels';
import type { Database } from './schema';

/**
 * Makes the channels a one-unit set-up starts with (each platform's adapter says which: the composition root asks
 * them), for `unit`: a channel already there is kept as it is, and a secret is stored only while none is.
 */
export async function ensureStartingChannels(
  db: Kysely<Database>,
  unit: Unit,
  starting: StartingChannel[],
): Promise<void> {
  for (const { channel, secret, secretFrom } of starting) {
    const existing = await db.selectFrom('channels').select('id').where('id', '=', channel.id).executeTakeFirst();
    if (existing && (secret === undefined || (await hasChannelSecret(db, channel.id)))) continue;
    await db.transaction().execute(async (tx) => {
      if (!existing) await saveChannel(tx, { ...channel, unitId: unit.id }, 'loa');
      if (secret !== undefined) await setChannelSecret(tx, channel.id, secret, `loa (${secretFrom ?? 'môi trường'})`);
    });
  }
}
