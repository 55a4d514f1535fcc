import type { Kysely } from 'kysely';

import { type Adapters, ChannelError } from '../channels';
import { PENDING_STATES } from '../src/domain/publication';
import type { AccountPace, PaceLimit } from '../src/queue/account-pace';
import type { BeforeClaim } from '../src/store/before-claim';
import { pauseChannel } from '../src/store/channel-pause';
import type { Database } from '../src/store/schema';

function fromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** LOA_PAUSED_RECHECK_MS: how often a job of a paused channel looks again (a resume also wakes them at once). Default 60 s. */
export const PAUSED_RECHECK_MS = fromEnv('LOA_PAUSED_RECHECK_MS', 60_000);

/** Why a job waits instead of publishing now. */
export interface Wait {
  delayMs: number;
  why: string;
}

/** A channel's own pace setting (`postsPerHour` in its settings), else its adapter's default, else none. */
export function paceLimit(settings: Record<string, unknown>, adapterDefault: number | undefined): PaceLimit | null {
  const own = settings.postsPerHour;
  const perHour = typeof own === 'number' && own > 0 ? own : adapterDefault;
  return perHour ? { count: perHour, windowMs: 3_600_000 } : null;
}

/**
 * The worker asks the gate before it claims a publication: a paused channel's publications wait (not claimed, not
 * failed), and an account over its pace or held by its platform waits its turn. The answer is a delay for the
 * job, never a sleep: a waiting job frees its concurrency slot and holds up no other channel.
 */
export class ChannelGate {
  constructor(
    private readonly adapters: Adapters,
    private readonly pace: AccountPace,
  ) {}

  /** `before`: what the worker read of the publication and its channel (src/store/before-claim.ts). */
  async waitBefore(before: BeforeClaim | null): Promise<Wait | null> {
    const row = before;
    if (!row || !(PENDING_STATES.includes(row.state as never) || row.state === 'publishing')) return null;
    if (row.pausedAt)
      return { delayMs: PAUSED_RECHECK_MS, why: `kênh ${row.channelId} đang tạm dừng: ${row.pausedReason ?? ''}` };
    const adapter = this.adapters[row.platform as keyof Adapters];
    const limit = paceLimit(JSON.parse(row.settings) as Record<string, unknown>, adapter?.postsPerHour);
    // Nothing could refuse the turn (no pace, and no platform that holds accounts): no round trip to Redis (the pace
    // script was a fifth of ioredis's 16 % of a portal publication's worker CPU in the profile).
    if (!limit && !adapter?.heldByPlatform) return null;
    const waitMs = await this.pace.takeTurn(row.channelId, limit);
    return waitMs > 0
      ? { delayMs: waitMs, why: `kênh ${row.channelId} chờ lượt đăng (giới hạn tốc độ của tài khoản)` }
      : null;
  }
}

/**
 * When an adapter says the account's credentials no longer work, the channel is paused with its reason, unless its
 * secret was replaced after the failing call began (found by npm run chaos: a call with the expired token that
 * answered after an admin saved the new one paused the channel again, and its posts waited for nobody).
 */
export async function pauseOnReconnect(
  db: Kysely<Database>,
  channelId: string,
  error: unknown,
  by: string,
  callBegan: Date,
): Promise<void> {
  if (error instanceof ChannelError && error.kind === 'reconnect')
    await pauseChannel(db, channelId, error.message, by, new Date(), callBegan);
}
