import { z } from 'zod';

import { formatLocal } from '../../src/domain/time';
import { ChannelError } from '../types';
import type { ZaloClient } from './client';
import { ZaloRefreshRefused, ZaloTransportError } from './zalo-errors';

/** Zalo's refresh token lives three months from when it was issued. */
export const REFRESH_LIFETIME_MS = 90 * 24 * 3600_000;
/** Refresh a little before the access token (25 hours) runs out, so no call meets an expired one. */
const REFRESH_MARGIN_MS = 30 * 60_000;
/**
 * The scheduled refresh (`keepAlive`) renews a pair whose refresh token is older than this, so an OA that publishes
 * nothing for months keeps its connection: a week, far inside the refresh token's three months.
 */
export const KEEP_ALIVE_EVERY_MS = 7 * 24 * 3600_000;

/**
 * Where a channel's secret lives, encrypted (the store's channel secrets, given by the worker). `version` is
 * opaque; `replaceSecret` is a compare-and-set, so a rotation never overwrites a newer pair.
 */
export interface SecretStore {
  readSecret(channelId: string): Promise<{ value: string; version: string } | null>;
  replaceSecret(channelId: string, version: string, value: string): Promise<boolean>;
}

/** Runs `fn` while holding `key` in every process (Redis), so two refreshes of one account never run at once. */
export interface ExclusiveLock {
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** Within one process only: enough for a single worker, and for tests of the adapter alone. */
export class LocalLock implements ExclusiveLock {
  private readonly tails = new Map<string, Promise<unknown>>();
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    this.tails.set(
      key,
      next.catch(() => undefined),
    );
    return next;
  }
}

/** The channel's secret, as JSON: the rotating pair, and optionally the app's own id and key. */
const zaloSecret = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  appId: z.string().min(1).optional(),
  secretKey: z.string().min(1).optional(),
  /** When the access token stops working (ISO). Unknown for a pair an admin pasted: then it is used until refused. */
  accessExpiresAt: z.iso.datetime().optional(),
  /** When the refresh token stops working (ISO): three months after it was issued. */
  refreshExpiresAt: z.iso.datetime().optional(),
  /**
   * A refresh was sent and its answer never came (ISO): Zalo may have spent the refresh token and issued a pair Loa
   * never received. Kept so that if Zalo then refuses the refresh token, the admin is told why.
   */
  refreshInDoubtSince: z.iso.datetime().optional(),
});
export type ZaloSecret = z.infer<typeof zaloSecret>;

/** Reads the secret an admin gave (`--secret-stdin`) or a rotation stored; never echoes it in an error. */
export function parseZaloSecret(value: string): ZaloSecret {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    throw new ChannelError('reconnect', 'bí mật của kênh Zalo phải là JSON {"accessToken":"…","refreshToken":"…"}');
  }
  const result = zaloSecret.safeParse(json);
  if (!result.success) {
    const field = result.error.issues[0]?.path.join('.') || 'bí mật';
    throw new ChannelError(
      'reconnect',
      `bí mật của kênh Zalo thiếu hoặc sai mục "${field}"; cần dạng {"accessToken":"…","refreshToken":"…"}`,
    );
  }
  return result.data;
}

/** A pair as an admin gives it: the refresh token is taken as just issued. */
export function newZaloSecret(accessToken: string, refreshToken: string, now = new Date()): ZaloSecret {
  return { accessToken, refreshToken, refreshExpiresAt: new Date(now.getTime() + REFRESH_LIFETIME_MS).toISOString() };
}

export interface ZaloApp {
  appId?: string;
  secretKey?: string;
}

function reconnect(channelId: string, why: string): ChannelError {
  return new ChannelError(
    'reconnect',
    `${why}. Quản trị viên cần kết nối lại Zalo OA của kênh "${channelId}": bấm "Kết nối" ở kênh trong /desk/quan-tri/kenh, hoặc chạy loa channels connect ${channelId}`,
  );
}

/**
 * The rotating token pair of each Zalo channel. The access token lives 25 hours; the refresh token works once
 * and each refresh returns a new pair. So: refresh under a lock held across processes, read the secret again
 * inside the lock (another process may have refreshed already), store the new pair before using it.
 */
export class ZaloTokens {
  constructor(
    private readonly store: SecretStore,
    private readonly lock: ExclusiveLock,
    private readonly client: ZaloClient,
    private readonly app: ZaloApp,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A usable access token, refreshed first when it is about to expire. */
  async accessToken(channelId: string, signal?: AbortSignal): Promise<string> {
    const { secret } = await this.read(channelId);
    const expires = secret.accessExpiresAt ? Date.parse(secret.accessExpiresAt) : Infinity;
    if (expires - this.now().getTime() > REFRESH_MARGIN_MS) return secret.accessToken;
    return this.refresh(channelId, secret.accessToken, signal);
  }

  /** Zalo refused `rejected` (-216/-220): a fresh access token, from another process's refresh or from ours. */
  refreshAfterRejection(channelId: string, rejected: string, signal?: AbortSignal): Promise<string> {
    return this.refresh(channelId, rejected, signal);
  }

  /**
   * The scheduled refresh: renews the pair when its refresh token is older than KEEP_ALIVE_EVERY_MS (or of unknown
   * age), under the same lock as every refresh, so of several workers doing this at once exactly one spends the
   * refresh token and the others find the new pair. Resolves both expiries as stored afterwards.
   */
  async keepAlive(
    channelId: string,
    signal?: AbortSignal,
  ): Promise<{ accessExpiresAt: Date | null; refreshExpiresAt: Date | null; refreshed: boolean }> {
    const { secret } = await this.read(channelId);
    const refreshEnds = secret.refreshExpiresAt ? Date.parse(secret.refreshExpiresAt) : -Infinity;
    const due = refreshEnds - this.now().getTime() < REFRESH_LIFETIME_MS - KEEP_ALIVE_EVERY_MS;
    let refreshed = false;
    if (due) refreshed = (await this.refresh(channelId, secret.accessToken, signal)) !== secret.accessToken;
    const after = (await this.read(channelId)).secret;
    return {
      accessExpiresAt: after.accessExpiresAt ? new Date(after.accessExpiresAt) : null,
      refreshExpiresAt: after.refreshExpiresAt ? new Date(after.refreshExpiresAt) : null,
      refreshed,
    };
  }

  /** When the stored refresh token stops working, if known (for `loa doctor`). */
  async refreshExpiresAt(channelId: string): Promise<Date | null> {
    const { secret } = await this.read(channelId);
    return secret.refreshExpiresAt ? new Date(secret.refreshExpiresAt) : null;
  }

  private async read(channelId: string): Promise<{ secret: ZaloSecret; version: string }> {
    const stored = await this.store.readSecret(channelId);
    if (!stored) throw reconnect(channelId, 'kênh Zalo chưa có mã truy cập');
    return { secret: parseZaloSecret(stored.value), version: stored.version };
  }

  private refresh(channelId: string, stale: string, signal?: AbortSignal): Promise<string> {
    return this.lock.run(`zalo-refresh:${channelId}`, async () => {
      const { secret, version } = await this.read(channelId);
      // Another process refreshed while we waited for the lock: its pair is the one to use.
      if (secret.accessToken !== stale) return secret.accessToken;
      const appId = secret.appId ?? this.app.appId;
      const secretKey = secret.secretKey ?? this.app.secretKey;
      if (!appId || !secretKey)
        throw reconnect(
          channelId,
          'thiếu mã ứng dụng Zalo (LOA_ZALO_APP_ID và LOA_ZALO_SECRET_KEY) để làm mới mã truy cập',
        );
      let fresh;
      try {
        fresh = await this.client.refresh({ appId, secretKey, refreshToken: secret.refreshToken }, signal, this.now());
      } catch (error) {
        if (error instanceof ZaloRefreshRefused)
          throw reconnect(
            channelId,
            secret.refreshInDoubtSince
              ? `Zalo từ chối mã làm mới (lỗi ${error.code}: ${error.zaloMessage}): lần làm mới lúc ${formatLocal(secret.refreshInDoubtSince)} không nhận được trả lời, nên cặp mã mới Zalo đã cấp không đến được Loa`
              : `Zalo từ chối mã làm mới (lỗi ${error.code}: ${error.zaloMessage})`,
          );
        if (error instanceof ZaloTransportError) {
          // The request may have reached Zalo and spent the refresh token: noted, so a refusal next time says why.
          // Sending it again is safe (a spent refresh token is refused, it never makes a second pair).
          if (error.status === null && !secret.refreshInDoubtSince)
            await this.store.replaceSecret(
              channelId,
              version,
              JSON.stringify({ ...secret, refreshInDoubtSince: this.now().toISOString() }),
            );
          throw new ChannelError(
            'retry-later',
            `chưa làm mới được mã truy cập Zalo: ${error.message}; Loa thử lại, nếu Zalo từ chối mã làm mới thì cần kết nối lại OA`,
          );
        }
        throw error;
      }
      const { refreshInDoubtSince: _spent, ...kept } = secret;
      const next: ZaloSecret = {
        ...kept,
        accessToken: fresh.accessToken,
        refreshToken: fresh.refreshToken,
        accessExpiresAt: fresh.accessExpiresAt.toISOString(),
        refreshExpiresAt: new Date(this.now().getTime() + REFRESH_LIFETIME_MS).toISOString(),
      };
      // The old refresh token is spent now: the new pair must be stored before anything uses it.
      if (await this.store.replaceSecret(channelId, version, JSON.stringify(next))) return fresh.accessToken;
      // An admin replaced the secret meanwhile (a reconnect): theirs wins.
      return (await this.read(channelId)).secret.accessToken;
    });
  }
}
