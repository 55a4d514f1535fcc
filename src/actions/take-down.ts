import type { Kysely } from 'kysely';

import type { Adapters, ChannelAdapter } from '../../channels';
import type { ChannelAccount } from '../domain/channel';
import type { Publication } from '../domain/publication';
import { listChannels } from '../store/channels';
import type { Database } from '../store/schema';
import { getUnit } from '../store/units';

/** A withdrawn post still where it was published: a person must remove it there. */
export interface LeftStanding {
  publication: Publication;
  channelName: string;
  /** What to remove, where, and why Loa could not: in Vietnamese. */
  reason: string;
}

/**
 * After a withdrawal is stored: each withdrawn post whose channel takes its posts down (`takenDownByWithdrawal`) is
 * taken down by its adapter's `takeDown`, if it has one (the portal feed needs none: it reads the database). Posts
 * that stay up, on an outside platform or because their take-down failed, are returned for a person to remove. A
 * failure here never undoes the withdrawal: the database is the source of truth, and it already says `withdrawn`.
 */
export async function takeDownWithdrawn(
  db: Kysely<Database>,
  adapters: Adapters,
  withdrawn: readonly Publication[],
): Promise<LeftStanding[]> {
  if (withdrawn.length === 0) return [];
  const channels = new Map((await listChannels(db)).map((c) => [c.id, c]));
  const left: LeftStanding[] = [];
  for (const publication of withdrawn) {
    const channel = channels.get(publication.channelId);
    const adapter = channel ? adapters[channel.platform] : undefined;
    const name = channel?.name ?? publication.channelId;
    if (!channel || !adapter?.takenDownByWithdrawal) {
      const where = publication.externalUrl ?? `mã bài ${publication.externalId ?? publication.id}`;
      left.push({
        publication,
        channelName: name,
        reason: `bài vẫn còn trên ${name} (${where}): hãy gỡ trên nền tảng đó`,
      });
      continue;
    }
    const reason = await takeDownOne(db, adapter, channel, publication);
    if (reason) left.push({ publication, channelName: name, reason });
  }
  return left;
}

/** One take-down: null when done, else the sentence for the person. An unexpected error is said, never thrown. */
async function takeDownOne(
  db: Kysely<Database>,
  adapter: ChannelAdapter,
  channel: ChannelAccount,
  publication: Publication,
): Promise<string | null> {
  if (!adapter.takeDown) return null;
  try {
    const unit = await getUnit(db, channel.unitId);
    const outcome = await adapter.takeDown({ publication, channel, unit });
    return outcome.status === 'removed' ? null : outcome.reason;
  } catch (error) {
    return `${channel.name}: Loa không gỡ được bài ${publication.id} (${(error as Error).message}): hãy gỡ bằng tay`;
  }
}
