import path from 'node:path';

import { Templates } from '../../channels/template';
import type { EarlierAttempt, PostContext } from '../../channels/types';
import { ZaloClient } from '../../channels/zalo/client';
import { LocalLock, newZaloSecret, type SecretStore, ZaloTokens } from '../../channels/zalo/tokens';
import { ZaloAdapter } from '../../channels/zalo/zalo-adapter';
import type { FakeZalo } from '../../src/demo/fake-zalo-oa';
import type { Priority } from '../../src/domain/content-item';
import { PROJECT } from './services';

/** Secrets kept in memory with a compare-and-set version, for adapter tests without a database. */
export class MemorySecrets implements SecretStore {
  private readonly values = new Map<string, { value: string; version: string }>();
  private counter = 0;
  set(channelId: string, value: string): void {
    this.values.set(channelId, { value, version: String(++this.counter) });
  }
  get(channelId: string): string | undefined {
    return this.values.get(channelId)?.value;
  }
  async readSecret(channelId: string) {
    return this.values.get(channelId) ?? null;
  }
  async replaceSecret(channelId: string, version: string, value: string) {
    if (this.values.get(channelId)?.version !== version) return false;
    this.set(channelId, value);
    return true;
  }
}

export interface PostOptions {
  title?: string;
  body?: string;
  image?: string | null;
  priority?: Priority;
  settings?: Record<string, unknown>;
  channelId?: string;
}

/** One publication on a Zalo channel, as the worker hands it to the adapter. */
export function zaloPost(options: PostOptions = {}): PostContext {
  const scheduledAt = new Date('2031-03-10T01:30:00Z');
  const channelId = options.channelId ?? 'zalo-xa';
  return {
    publication: {
      id: `i1-${channelId}-20310310T013000Z`,
      itemId: 1,
      channelId,
      scheduledAt,
      state: 'publishing',
      reason: null,
      content: null,
      externalId: null,
      externalUrl: null,
      attempts: 1,
      queuedBy: 'cán bộ A',
      claimedBy: 'w1',
      leaseUntil: null,
      publishedAt: null,
      createdAt: scheduledAt,
      updatedAt: scheduledAt,
    },
    item: {
      id: 1,
      planId: 1,
      areaKey: 'thu-tuc-hanh-chinh',
      unitId: 'ubnd-xa-tan-lap',
      title: options.title ?? 'Làm thủ tục trên Cổng dịch vụ công',
      body: options.body ?? 'Từ ngày 1/4, người dân nộp hồ sơ trực tuyến.\n\nMọi thắc mắc xin gọi bộ phận một cửa.',
      link: null,
      image: options.image === undefined ? null : options.image,
      priority: options.priority ?? 'thong-thuong',
      author: 'cán bộ A',
      approvedBy: 'lãnh đạo B',
      approvedAt: scheduledAt,
      createdAt: scheduledAt,
      updatedAt: scheduledAt,
    },
    channel: {
      id: channelId,
      unitId: 'ubnd-xa-tan-lap',
      platform: 'zalo',
      name: 'Zalo OA xã',
      settings: options.settings ?? {},
    },
    unit: { id: 'ubnd-xa-tan-lap', name: 'UBND xã Tân Lập' },
    areaName: 'Thủ tục hành chính',
  };
}

/** An earlier attempt that recorded `steps` and then died or was told to retry. */
export function earlierAttempt(steps: Record<string, string>, startedAt = new Date(), attemptNo = 1): EarlierAttempt {
  return { attemptNo, startedAt, finishedAt: null, outcome: 'interrupted', externalId: null, steps };
}

export interface ZaloRig {
  adapter: ZaloAdapter;
  secrets: MemorySecrets;
  tokens: ZaloTokens;
  client: ZaloClient;
  /** The adapter's clock; tests move it (the fake has its own, `fake.now`). */
  clock: { now: Date };
  /** When the channel's earlier broadcasts went out, as the publish log would tell (tests add to it). */
  broadcasts: Date[];
}

/** An adapter wired to `fake`, with a valid pair stored for `channelId`. */
export function zaloRig(fake: FakeZalo, channelId = 'zalo-xa', clockStart = new Date()): ZaloRig {
  const clock = { now: clockStart };
  const now = () => clock.now;
  const client = new ZaloClient({ apiUrl: fake.url, oauthUrl: fake.url, timeoutMs: 10_000 });
  const secrets = new MemorySecrets();
  const pair = fake.issuePair();
  secrets.set(channelId, JSON.stringify(newZaloSecret(pair.accessToken, pair.refreshToken, clockStart)));
  const tokens = new ZaloTokens(
    secrets,
    new LocalLock(),
    client,
    { appId: fake.appId, secretKey: fake.secretKey },
    now,
  );
  const broadcasts: Date[] = [];
  const adapter = new ZaloAdapter({
    templates: new Templates(path.join(PROJECT, 'templates')),
    client,
    tokens,
    now,
    verifyFirstDelayMs: 50,
    // The fake serves its images on loopback, which the outbound guard refuses by default.
    allowPrivateAddresses: true,
    stepTimes: async (_channelId, step, since) => (step === 'broadcast' ? broadcasts.filter((d) => d >= since) : []),
  });
  return { adapter, secrets, tokens, client, clock, broadcasts };
}
