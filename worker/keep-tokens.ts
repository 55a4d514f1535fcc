import type { Adapters } from '../channels';
import { ChannelError } from '../channels/types';
import { tokenAlert } from '../src/domain/token-alerts';
import type { Db } from '../src/store';
import { pauseChannel } from '../src/store/channel-pause';
import { listChannels } from '../src/store/channels';
import { listTokenStates, recordTokenExpiries, recordTokenProblem, recordTokenSuccess } from '../src/store/token-state';
import type { WorkerLog } from './log';

/** How often each worker looks at the channels' credentials (the refresh itself is due only once a week). */
export const KEEP_TOKENS_EVERY_MS = 60 * 60_000;

export interface TokenKeeper {
  /** Stops the timer and waits for a round under way. */
  close(): Promise<void>;
}

/**
 * One round of the scheduled refresh: every channel whose adapter keeps its credentials alive
 * (`keepAlive`: a Zalo OA's single-use refresh token, renewed well before its three months) is asked to, then every
 * channel's state is checked for alerts. Each worker runs rounds; two rounds at once (two workers) renew an account
 * once, because the adapter's refresh holds the account's lock across processes and reads the pair again inside it.
 * A refused refresh marks the connection lost (`token_problem`, shown in the desk and `loa doctor`) and pauses the
 * channel, so its publications wait for an admin's new connection instead of failing one by one.
 */
export async function keepTokensOnce(
  db: Db,
  adapters: Adapters,
  log: WorkerLog,
  now: () => Date = () => new Date(),
  /** What was already logged today per channel, so a warning is written once a day, not every round. */
  told = new Map<string, string>(),
): Promise<void> {
  const states = new Map((await listTokenStates(db.kysely)).map((s) => [s.channelId, s]));
  for (const channel of await listChannels(db.kysely)) {
    const adapter = adapters[channel.platform];
    const state = states.get(channel.id);
    if (!adapter?.keepAlive || !state?.hasSecret || state.problem) continue;
    try {
      const kept = await adapter.keepAlive(channel);
      const at = now();
      if (kept.renewed) {
        await recordTokenSuccess(db.kysely, channel.id, kept, at);
        log('info', `Đã làm mới mã truy cập của kênh ${channel.id}`, { kenh: channel.id });
      } else await recordTokenExpiries(db.kysely, channel.id, kept, at);
    } catch (error) {
      if (!(error instanceof ChannelError)) {
        log('warn', `Không làm mới được mã truy cập của kênh ${channel.id}: ${(error as Error).message}`, {
          kenh: channel.id,
        });
        continue;
      }
      if (error.kind === 'reconnect') {
        await recordTokenProblem(db.kysely, channel.id, error.message, now());
        await pauseChannel(db.kysely, channel.id, error.message, 'làm mới mã truy cập', now());
        log('error', `Kênh ${channel.id} mất kết nối: ${error.message}`, { kenh: channel.id });
      } else
        log('warn', `Chưa làm mới được mã truy cập của kênh ${channel.id}: ${error.message}`, { kenh: channel.id });
    }
  }
  // Admins are told in the log too: N days before an expiry, and at once when a connection is lost.
  for (const state of await listTokenStates(db.kysely)) {
    const alert = tokenAlert(state, now(), Boolean(adapters[state.platform as keyof Adapters]?.connector));
    if (!alert) continue;
    const mark = `${now().toISOString().slice(0, 10)} ${alert.what}`;
    if (told.get(state.channelId) === mark) continue;
    told.set(state.channelId, mark);
    log(alert.level, `${alert.what}. ${alert.fix}`, { kenh: state.channelId });
  }
}

/** Runs `keepTokensOnce` at start and every KEEP_TOKENS_EVERY_MS, one round at a time in this process. */
export function keepTokens(db: Db, adapters: Adapters, log: WorkerLog, everyMs = KEEP_TOKENS_EVERY_MS): TokenKeeper {
  let running: Promise<void> | null = null;
  const told = new Map<string, string>();
  const round = () => {
    running ??= keepTokensOnce(db, adapters, log, undefined, told)
      .catch((error: Error) => log('warn', `Không kiểm tra được mã truy cập của các kênh: ${error.message}`))
      .finally(() => (running = null));
  };
  round();
  const timer = setInterval(round, everyMs);
  timer.unref();
  return {
    async close() {
      clearInterval(timer);
      await running;
    },
  };
}
