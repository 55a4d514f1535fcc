import type { Adapters } from '../../channels';
import type { ChannelAccount } from '../domain/channel';
import { formatLocal } from '../domain/time';
import { describeTokenState, tokenAlert } from '../domain/token-alerts';
import type { Db } from '../store';
import { channelStatuses, listPausedChannels } from '../store/channel-pause';
import { MAKE_KEY_HINT, SecretKeyError, secretKeyFromEnv } from '../store/secret-cipher';
import { listTokenStates, recordTokenSeen } from '../store/token-state';
import { lazy, withParts } from './context';

export type Verdict = 'ok' | 'warn' | 'error';
export interface Check {
  verdict: Verdict;
  what: string;
  fix?: string;
}

/** LOA_SECRET_KEY: needed as soon as one channel keeps a secret; says how to make one. */
async function checkSecretKey(db: Db): Promise<Check> {
  const withSecret = [...(await channelStatuses(db.kysely)).entries()].filter(([, s]) => s.hasSecret).map(([id]) => id);
  try {
    const key = secretKeyFromEnv();
    return { verdict: 'ok', what: `Khóa mã hóa bí mật LOA_SECRET_KEY: đã đặt (mã khóa ${key.id})` };
  } catch (error) {
    if (!(error instanceof SecretKeyError)) throw error;
    return {
      verdict: withSecret.length > 0 ? 'error' : 'warn',
      what:
        withSecret.length > 0
          ? `${error.message.split(';')[0]}; các kênh ${withSecret.join(', ')} có bí mật không đọc được`
          : 'Chưa đặt LOA_SECRET_KEY: Loa chưa lưu được token của kênh Facebook/Zalo',
      fix: `Để lưu token mã hóa: ${MAKE_KEY_HINT}.`,
    };
  }
}

/** Paused channels: why, since when, how many publications wait, and how to resume. */
async function checkPaused(db: Db): Promise<Check[]> {
  return (await listPausedChannels(db.kysely)).map((p) => ({
    verdict: 'warn' as const,
    what: `Kênh ${p.channelId} đang tạm dừng từ ${formatLocal(p.since)}: ${p.reason}; ${p.waiting} bài đang chờ`,
    fix: `Kết nối lại tài khoản: loa channels connect ${p.channelId} với nền tảng có trang đồng ý, hoặc nhập token mới bằng loa channels edit ${p.channelId} --secret-stdin (kênh tự chạy lại); hoặc loa channels resume ${p.channelId}.`,
  }));
}

/**
 * Each channel's credentials as stored (migration 0022): state, expiry and last success; a warning TOKEN_WARNING_DAYS
 * before the connection expires and an error once it is lost, each with the one action that fixes it.
 */
async function checkTokens(db: Db, adapters: Adapters, now = new Date()): Promise<Check[]> {
  const checks: Check[] = [];
  for (const state of await listTokenStates(db.kysely)) {
    const connectable = Boolean(adapters[state.platform as keyof Adapters]?.connector);
    if (!state.hasSecret && !connectable) continue;
    const alert = tokenAlert(state, now, connectable);
    const shown = describeTokenState(state, now);
    const what = `Kết nối của kênh ${state.channelId}: ${shown.state}${shown.expiry ? `; hết hạn ${shown.expiry}` : ''}; lần cuối nền tảng nhận ${shown.lastSuccess}${state.summary ? ` (${state.summary})` : ''}`;
    checks.push(
      alert ? { verdict: alert.level, what: `${what}. ${alert.what}`, fix: `${alert.fix}.` } : { verdict: 'ok', what },
    );
  }
  return checks;
}

/** Each channel: an adapter exists, and (where the adapter can) the account answers on its platform. */
async function checkAccounts(db: Db, adapters: Adapters, channels: ChannelAccount[]): Promise<Check[]> {
  const checks: Check[] = [];
  for (const channel of channels) {
    const adapter = adapters[channel.platform];
    const where = `Kênh ${channel.id} (${channel.platform}, đơn vị ${channel.unitId})`;
    if (!adapter) {
      checks.push({
        verdict: 'warn',
        what: `Kênh ${channel.id}: Loa chưa đăng được lên ${channel.platform}`,
        fix: 'Các bài xếp lịch trên kênh này sẽ thất bại; bỏ lịch hoặc chờ bản Loa có kênh này.',
      });
    } else if (!adapter.checkAccount) {
      checks.push({ verdict: 'ok', what: `${where}: sẵn sàng` });
    } else {
      try {
        checks.push({ verdict: 'ok', what: `${where}: ${await adapter.checkAccount(channel)}` });
        // The platform accepted the credentials just now: the last success the desk and /metrics show.
        await recordTokenSeen(db.kysely, channel.id);
      } catch (error) {
        checks.push({ verdict: 'error', what: `${where}: ${(error as Error).message}` });
      }
    }
  }
  return checks;
}

export async function checkChannelAccess(channels: ChannelAccount[]): Promise<Check[]> {
  const { channelServices } = lazy<typeof import('../../worker/channel-services')>('../../worker/channel-services');
  // Secrets come from the store; without Redis there is no shared account pace to hold.
  const services = (db: Db) => channelServices(db.kysely, null, 'loa doctor');
  return withParts(
    async ({ db, adapters }) => [
      await checkSecretKey(db),
      ...(await checkPaused(db)),
      ...(await checkTokens(db, adapters)),
      ...(await checkAccounts(db, adapters, channels)),
    ],
    { services },
  );
}
