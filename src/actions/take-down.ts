import type { Kysely } from 'kysely';

import type { Adapters, ChannelAdapter } from '../../channels';
import type { ChannelAccount } from '../domain/channel';
import { MAIN_POST, type PlatformPost } from '../domain/platform-post';
import type { Publication } from '../domain/publication';
import { listChannels } from '../store/channels';
import { markPlatformPosts, platformPostsOf } from '../store/platform-posts';
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
 * taken down by its adapter's `takeDown`, if it has one (the portal feed needs none: it reads the database). On an
 * outside platform, every live row the ledger holds for the publication (its post, its follow-ups) is removed by
 * the adapter's `removePost` where the platform allows it. That covers a cancelled publication whose post already
 * exists too (an article live while its broadcast waited for the morning). What stays up, on a platform that lets
 * Loa remove nothing or because a removal failed, is marked `remove-by-hand` in the ledger with the sentence for a
 * person, and returned. A failure here never undoes the withdrawal: the database is the source of truth, and it
 * already says `withdrawn`.
 */
export async function takeDownWithdrawn(
  db: Kysely<Database>,
  adapters: Adapters,
  withdrawn: readonly Publication[],
  cancelled: readonly Publication[] = [],
): Promise<LeftStanding[]> {
  const all = [...withdrawn, ...cancelled];
  if (all.length === 0) return [];
  const ledger = await platformPostsOf(
    db,
    all.map((p) => p.id),
  );
  const wasPublished = new Set(withdrawn.map((p) => p.id));
  let channels: Map<string, ChannelAccount> | undefined;
  const left: LeftStanding[] = [];
  for (const publication of all) {
    const live = (ledger.get(publication.id) ?? []).filter((p) => p.state !== 'removed');
    if (!wasPublished.has(publication.id) && live.length === 0) continue; // cancelled before anything went out
    channels ??= new Map((await listChannels(db)).map((c) => [c.id, c]));
    const channel = channels.get(publication.channelId);
    const adapter = channel ? adapters[channel.platform] : undefined;
    const name = channel?.name ?? publication.channelId;
    if (channel && adapter?.takenDownByWithdrawal) {
      const reason = await takeDownOne(db, adapter, channel, publication);
      if (live.length)
        await markPlatformPosts(db, publication.id, reason ? 'remove-by-hand' : 'removed', reason ?? REMOVED);
      if (reason) left.push({ publication, channelName: name, reason });
      continue;
    }
    if (live.length === 0) {
      // Published before the ledger kept it: only the publication knows where.
      left.push({
        publication,
        channelName: name,
        reason: stillThere(name, publication.externalUrl, publication.externalId ?? publication.id),
      });
      continue;
    }
    const reasons: string[] = [];
    for (const post of live) {
      const reason = await removeOne(db, adapter, channel, publication, post, name);
      await markPlatformPosts(db, publication.id, reason ? 'remove-by-hand' : 'removed', reason ?? REMOVED, [post.id]);
      if (reason) reasons.push(reason);
    }
    if (reasons.length) left.push({ publication, channelName: name, reason: reasons.join('; ') });
  }
  return left;
}

const REMOVED = 'Loa đã gỡ khi nội dung bị rút';

function stillThere(channelName: string, url: string | null, externalId: string, kind = MAIN_POST): string {
  const what = kind === MAIN_POST ? 'bài' : `phần "${kind}" của bài`;
  return `${what} vẫn còn trên ${channelName} (${url ?? `mã bài ${externalId}`}): hãy gỡ trên nền tảng đó`;
}

/** One ledger row off its platform through the adapter: null when removed, else the sentence for the person. */
async function removeOne(
  db: Kysely<Database>,
  adapter: ChannelAdapter | undefined,
  channel: ChannelAccount | undefined,
  publication: Publication,
  post: PlatformPost,
  name: string,
): Promise<string | null> {
  if (!channel || !adapter?.removePost) return stillThere(name, post.externalUrl, post.externalId, post.kind);
  try {
    const unit = await getUnit(db, channel.unitId);
    const outcome = await adapter.removePost(post, { publication, channel, unit });
    return outcome.status === 'removed' ? null : outcome.reason;
  } catch (error) {
    return `${name}: Loa không gỡ được bài ${post.externalUrl ?? post.externalId} (${(error as Error).message}): hãy gỡ bằng tay`;
  }
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
