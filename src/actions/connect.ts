import { createHash, randomBytes } from 'node:crypto';

import type { Kysely } from 'kysely';

import { type Adapters, ChannelError, type ConnectChoice, type TokenFacts } from '../../channels';
import { type Actor, requireRole } from '../domain/access';
import type { ChannelAccount, Platform } from '../domain/channel';
import { ValidationError } from '../domain/errors';
import { recordAudit } from '../store/audit';
import { getChannel } from '../store/channels';
import type { Database } from '../store/schema';
import { decryptSecret, encryptSecret, secretKeyFromEnv } from '../store/secret-cipher';
import { recordTokenSuccess } from '../store/token-state';
import { saveChannelWithSecretAs, type SavedChannel } from './admin';

/**
 * Connecting a channel through its platform's consent screen (OAuth), the one way the desk and the CLI do it
 *. Generic: each platform's adapter brings its `connector` (channels/types.ts); nothing here names one.
 *
 * 1. `beginConnection` makes a random `state`, keeps its hash with what the flow keeps (a PKCE verifier, encrypted)
 *    and who started it (a hash of the admin's session, or of one CLI run), and returns the consent screen's address.
 * 2. `finishConnection` takes the platform's answer (the callback's query): the state must be one Loa made, unused,
 *    unexpired, started by the same admin from the same session; the adapter trades the code for tokens and returns
 *    the accounts offered. One account is connected at once; several (the Pages a person manages) are kept,
 *    encrypted, until the admin chooses with `chooseConnection`.
 * 3. Connecting stores the token encrypted as the channel's secret (resuming a paused channel), the account's
 *    settings (a Page id), and the token's expiries and summary (migration 0022).
 */

/** Where the platforms send the admin back: LOA_PUBLIC_URL + this path (to register with each platform's app). */
export const CONNECT_CALLBACK_PATH = '/desk/quan-tri/kenh/ket-noi/xong';
/** How long a connection under way waits for the admin to come back. */
export const CONNECT_LIFETIME_MS = 15 * 60_000;

export function connectRedirectUri(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${CONNECT_CALLBACK_PATH}`;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export interface ConnectionStart {
  authorizeUrl: string;
  state: string;
}

/** An account offered after consent, as a person sees it: never its token. */
export interface OfferedAccount {
  accountId: string;
  name: string;
  summary: string;
  missing: string[];
  expiresAt: Date | null;
}

export type ConnectionResult =
  | { status: 'connected'; saved: SavedChannel; account: OfferedAccount }
  | { status: 'choose'; channel: ChannelAccount; accounts: OfferedAccount[] };

function connectorOf(adapters: Adapters, channel: ChannelAccount) {
  const connector = adapters[channel.platform]?.connector;
  if (!connector)
    throw new ValidationError(
      'kênh',
      `kênh ${channel.id} không kết nối qua trang đồng ý của nền tảng; nhập bí mật của kênh (loa channels edit ${channel.id} --secret-stdin)`,
    );
  const why = connector.unavailable();
  if (why) throw new ValidationError('kênh', `chưa kết nối được kênh ${channel.id}: ${why}`);
  return connector;
}

/** A platform's refusal or an answer Loa could not use, as bad input naming what happened. */
function asValidation(error: unknown): never {
  if (error instanceof ChannelError) throw new ValidationError('kết nối', error.message);
  throw error;
}

const offered = (choice: ConnectChoice): OfferedAccount => ({
  accountId: choice.accountId,
  name: choice.name,
  summary: choice.facts.summary,
  missing: choice.facts.missing,
  expiresAt: choice.facts.refreshExpiresAt ?? choice.facts.expiresAt,
});

export async function beginConnection(
  db: Kysely<Database>,
  actor: Actor,
  adapters: Adapters,
  channelId: string,
  options: { publicUrl: string; holder: string; now?: Date },
): Promise<ConnectionStart> {
  requireRole(actor, 'admin', 'kết nối kênh');
  const channel = await getChannel(db, channelId);
  const connector = connectorOf(adapters, channel);
  const key = secretKeyFromEnv();
  const now = options.now ?? new Date();
  const state = randomBytes(24).toString('base64url');
  const { authorizeUrl, keep } = connector.begin({ redirectUri: connectRedirectUri(options.publicUrl), state });
  // Expired rows are swept as new ones come: they hold nothing usable once past their time.
  await db.deleteFrom('channel_connections').where('expires_at', '<', now.toISOString()).execute();
  await db
    .insertInto('channel_connections')
    .values({
      state_hash: sha256(state),
      channel_id: channel.id,
      holder_hash: sha256(options.holder),
      actor: actor.name,
      keep: encryptSecret(key, channel.id, `k:${keep}`),
      choices: null,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + CONNECT_LIFETIME_MS).toISOString(),
    })
    .execute();
  return { authorizeUrl, state };
}

/** The connection under way that `state` names, if this admin started it from this session and it is still fresh. */
async function pending(db: Kysely<Database>, actor: Actor, state: string, holder: string, now: Date) {
  const row = state
    ? await db.selectFrom('channel_connections').selectAll().where('state_hash', '=', sha256(state)).executeTakeFirst()
    : undefined;
  if (!row || row.holder_hash !== sha256(holder) || row.actor !== actor.name)
    throw new ValidationError(
      'state',
      'mã phiên kết nối không khớp với phiên đăng nhập này (địa chỉ trả về từ nền tảng không phải của lần kết nối bạn vừa mở); bấm Kết nối lại',
    );
  if (row.expires_at < now.toISOString()) {
    await db.deleteFrom('channel_connections').where('state_hash', '=', row.state_hash).execute();
    throw new ValidationError('state', `lần kết nối đã quá ${CONNECT_LIFETIME_MS / 60_000} phút; bấm Kết nối lại`);
  }
  return row;
}

export async function finishConnection(
  db: Kysely<Database>,
  actor: Actor,
  adapters: Adapters,
  input: { state: string; holder: string; query: Record<string, string>; publicUrl: string; now?: Date },
): Promise<ConnectionResult> {
  requireRole(actor, 'admin', 'kết nối kênh');
  const now = input.now ?? new Date();
  const row = await pending(db, actor, input.state, input.holder, now);
  if (row.choices !== null)
    throw new ValidationError('state', 'lần kết nối này đã nhận trả lời của nền tảng; chọn tài khoản trong danh sách');
  const channel = await getChannel(db, row.channel_id);
  const connector = connectorOf(adapters, channel);
  const key = secretKeyFromEnv();
  const keep = decryptSecret(key, channel.id, row.keep).slice(2);
  // The code works once: whatever happens next, this state is spent.
  await db.updateTable('channel_connections').set({ choices: '' }).where('state_hash', '=', row.state_hash).execute();
  const choices = await connector
    .finish({ query: input.query, redirectUri: connectRedirectUri(input.publicUrl), keep })
    .catch(asValidation);
  if (choices.length === 0) throw new ValidationError('kết nối', 'nền tảng không trả về tài khoản nào để kết nối');
  if (choices.length === 1) {
    await db.deleteFrom('channel_connections').where('state_hash', '=', row.state_hash).execute();
    return connectChoice(db, actor, adapters, channel, choices[0]!, now);
  }
  await db
    .updateTable('channel_connections')
    .set({ choices: encryptSecret(key, channel.id, JSON.stringify(choices)) })
    .where('state_hash', '=', row.state_hash)
    .execute();
  return { status: 'choose', channel, accounts: choices.map(offered) };
}

/** The admin chose one of the accounts offered (a Page): it is connected, the others' tokens are forgotten. */
export async function chooseConnection(
  db: Kysely<Database>,
  actor: Actor,
  adapters: Adapters,
  input: { state: string; holder: string; accountId: string; now?: Date },
): Promise<ConnectionResult> {
  requireRole(actor, 'admin', 'kết nối kênh');
  const now = input.now ?? new Date();
  const row = await pending(db, actor, input.state, input.holder, now);
  if (!row.choices) throw new ValidationError('state', 'lần kết nối này chưa có danh sách tài khoản; bấm Kết nối lại');
  const channel = await getChannel(db, row.channel_id);
  const choices = JSON.parse(decryptSecret(secretKeyFromEnv(), channel.id, row.choices)) as Array<
    ConnectChoice & { facts: TokenFacts & { expiresAt: string | null; refreshExpiresAt: string | null } }
  >;
  const chosen = choices.find((c) => c.accountId === input.accountId);
  if (!chosen)
    throw new ValidationError(
      'tài khoản',
      `"${input.accountId}" không có trong danh sách nền tảng trả về; chọn một trong danh sách`,
    );
  await db.deleteFrom('channel_connections').where('state_hash', '=', row.state_hash).execute();
  const facts: TokenFacts = {
    ...chosen.facts,
    expiresAt: chosen.facts.expiresAt ? new Date(chosen.facts.expiresAt) : null,
    refreshExpiresAt: chosen.facts.refreshExpiresAt ? new Date(chosen.facts.refreshExpiresAt) : null,
  };
  return connectChoice(db, actor, adapters, channel, { ...chosen, facts }, now);
}

/** Stores the chosen account's token (encrypted) and settings on the channel, and what is known of the token. */
async function connectChoice(
  db: Kysely<Database>,
  actor: Actor,
  adapters: Adapters,
  channel: ChannelAccount,
  choice: ConnectChoice,
  now: Date,
): Promise<ConnectionResult> {
  if (choice.facts.missing.length)
    throw new ValidationError(
      'quyền',
      `${choice.name || choice.accountId}: còn thiếu ${choice.facts.missing.join('; ')}. Bấm Kết nối lại và cấp đủ quyền (README, mục của nền tảng)`,
    );
  const saved = await saveChannelWithSecretAs(
    db,
    actor,
    adapters,
    {
      id: channel.id,
      unit: channel.unitId,
      platform: channel.platform,
      name: channel.name,
      settings: { ...channel.settings, ...choice.settings },
      edit: true,
    },
    () => choice.secret,
    undefined,
    { checked: choice.facts },
  );
  await recordTokenSuccess(db, channel.id, choice.facts, now);
  await recordAudit(db, actor, 'channel.connect', channel.id, channel.unitId, {
    platform: channel.platform as Platform,
    account: choice.accountId,
  });
  return { status: 'connected', saved, account: offered(choice) };
}
