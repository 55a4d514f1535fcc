import type { Kysely } from 'kysely';

import { type Adapters, ChannelError, type TokenFacts } from '../../channels';
import { type Actor, requireRole, requireUnit, type Role, unitScope } from '../domain/access';
import type { ChannelAccount, Platform, Unit } from '../domain/channel';
import { ValidationError } from '../domain/errors';
import { checkIdentifier, checkNewChannelId } from '../domain/identifier';
import { findSecretKey, findUrlCredentials, maskSettings } from '../domain/secrets';
import { checkTypedText, slugify } from '../domain/text';
import { recordAudit } from '../store/audit';
import { dueWaitingPublications } from '../store/channel-pause';
import { setChannelSecret } from '../store/channel-secrets';
import { findChannel, listChannels, saveChannel } from '../store/channels';
import { createToken } from '../store/credentials';
import type { Database } from '../store/schema';
import { secretKeyFromEnv } from '../store/secret-cipher';
import { recordTokenSuccess, recordTokenUnchecked } from '../store/token-state';
import {
  ensureUnit,
  findUnit,
  getUnit,
  listUnits,
  type MergeResult,
  mergeUnits,
  renameUnit,
  retireUnit,
} from '../store/units';
import { checkLogin, createUser, disableUser, getUserByName, listUsers, setPassword, type User } from '../store/users';

/** Units, channels and users: province-wide administration, shared by the CLI and the HTTP API. */

export async function listUnitsFor(db: Kysely<Database>, actor: Actor): Promise<Unit[]> {
  const scope = unitScope(actor);
  const units = await listUnits(db);
  return scope === undefined ? units : units.filter((u) => u.id === scope);
}

/** A display name: NFC, trimmed, not empty, no control or bidi characters, bounded. */
const checkName = (field: string, raw: string): string => checkTypedText(field, raw, 200);

export async function addUnitAs(db: Kysely<Database>, actor: Actor, name: string, id?: string): Promise<Unit> {
  requireRole(actor, 'admin', 'thêm đơn vị');
  const clean = checkName('name', name);
  const unitId = checkIdentifier(id !== undefined ? 'id' : 'name', id ?? slugify(clean));
  // The id comes from the name: "ubnd xã tân lập" is the same unit as "UBND xã Tân Lập", and must not rename it.
  const existing = await findUnit(db, unitId);
  if (existing && existing.name === clean) return existing; // the same unit again: nothing to do
  if (existing)
    throw new ValidationError('name', `đã có đơn vị ${existing.id} "${existing.name}"; không tạo lại và không đổi tên`);
  const unit = await ensureUnit(db, clean, actor.name, unitId);
  await recordAudit(db, actor, 'unit.add', unit.id, unit.id, { name: unit.name });
  return unit;
}

/** Renames a unit (admin): its id, channels, users and items stay; the old name stays in its history. */
export async function renameUnitAs(db: Kysely<Database>, actor: Actor, unit: string, newName: string) {
  requireRole(actor, 'admin', 'đổi tên đơn vị');
  const name = checkName('name', newName);
  const renamed = await renameUnit(db, unit, name, actor.name);
  if ('before' in renamed)
    await recordAudit(db, actor, 'unit.rename', renamed.id, renamed.id, { before: renamed.before, name: renamed.name });
  return renamed;
}

/** Merges units into another (admin): channels, users, items and sources move; the merged units are kept, retired. */
export async function mergeUnitsAs(
  db: Kysely<Database>,
  actor: Actor,
  from: string[],
  into: string,
): Promise<MergeResult> {
  requireRole(actor, 'admin', 'sáp nhập đơn vị');
  const result = await mergeUnits(db, from, into, actor.name);
  for (const unit of result.merged)
    await recordAudit(db, actor, 'unit.merge', unit.id, result.into.id, { from: unit.name, into: result.into.name });
  return result;
}

/** Retires a unit without a successor (admin): its channels are paused and its accounts disabled, nothing deleted. */
export async function retireUnitAs(db: Kysely<Database>, actor: Actor, unit: string) {
  requireRole(actor, 'admin', 'cho đơn vị ngừng hoạt động');
  const retired = await retireUnit(db, unit, actor.name);
  await recordAudit(db, actor, 'unit.retire', retired.id, retired.id, { name: retired.name });
  return retired;
}

/** The channels a person may see, their settings masked as they may be shown (secret keys, addresses' passwords). */
export async function listChannelsFor(db: Kysely<Database>, actor: Actor): Promise<ChannelAccount[]> {
  const scope = unitScope(actor);
  const channels = await listChannels(db);
  return (scope === undefined ? channels : channels.filter((c) => c.unitId === scope)).map((c) => ({
    ...c,
    settings: maskSettings(c.settings) as Record<string, unknown>,
  }));
}

export interface ChannelInput {
  id?: string;
  unit: string;
  platform: string;
  name: string;
  settings: Record<string, unknown>;
  /** Change the channel with this id (same unit and platform); without it an id in use is refused. */
  edit?: boolean;
}

/** Adds or changes a channel account; its settings are checked by the platform's adapter. */
export async function saveChannelAs(
  db: Kysely<Database>,
  actor: Actor,
  adapters: Adapters,
  input: ChannelInput,
): Promise<ChannelAccount> {
  requireRole(actor, 'admin', 'thêm hoặc sửa kênh');
  // The platforms are the registry's (channels/), one adapter each.
  const platforms = Object.keys(adapters);
  if (!platforms.includes(input.platform))
    throw new ValidationError('platform', `"${input.platform}" không có; chọn một trong: ${platforms.join(', ')}`);
  const platform = input.platform;
  // Secrets first: a token typed into the settings is named before anything else is said about them.
  const credentials = findUrlCredentials(input.settings);
  if (credentials)
    throw new ValidationError(
      `settings.${credentials}`,
      'địa chỉ có tên đăng nhập hoặc mật khẩu (dạng https://tên:mật-khẩu@máy/…); cài đặt kênh được in ra và lưu không mã hoá, nên không nhận bí mật trong địa chỉ. Bỏ phần "tên:mật-khẩu@" và đưa bí mật qua đầu vào chuẩn bằng --secret-stdin để Loa lưu mã hoá',
    );
  const secret = findSecretKey(input.settings);
  if (secret)
    throw new ValidationError(
      'settings',
      `"${secret}" là bí mật; không để bí mật trong cài đặt kênh (cài đặt được in ra và lưu không mã hoá). Đưa bí mật qua đầu vào chuẩn bằng --secret-stdin để Loa lưu mã hoá`,
    );
  try {
    adapters[platform]?.checkSettings?.(input.settings);
  } catch (error) {
    throw new ValidationError('settings', (error as Error).message);
  }
  const unit = await getUnit(db, input.unit);
  const name = checkName('name', input.name);
  const idField = input.id !== undefined ? 'id' : 'name';
  const id = checkIdentifier(idField, input.id ?? slugify(name));
  const existing = await findChannel(db, id);
  // A channel is never replaced silently: a new one needs an unused id; editing keeps its unit and platform.
  if (!existing) checkNewChannelId(idField, id, platforms);
  else if (!input.edit)
    throw new ValidationError(
      idField,
      `đã có kênh "${id}" (${existing.platform}, đơn vị ${existing.unitId}); chọn mã khác, hoặc sửa kênh đó (--sua)`,
    );
  else if (existing.unitId !== unit.id || existing.platform !== platform)
    throw new ValidationError(
      idField,
      `kênh "${id}" thuộc đơn vị ${existing.unitId}, nền tảng ${existing.platform}; khi sửa không đổi đơn vị hay nền tảng của kênh`,
    );
  const channel = { id, unitId: unit.id, platform, name, settings: input.settings };
  await saveChannel(db, channel, actor.name);
  // Settings may hold what a platform calls secret: the audit records which keys changed, never their values.
  await recordAudit(db, actor, 'channel.save', channel.id, unit.id, {
    platform,
    settingKeys: Object.keys(input.settings),
  });
  return channel;
}

export interface SavedChannel {
  channel: ChannelAccount;
  /** A new secret was encrypted and stored. */
  secretStored: boolean;
  /** The channel was paused (e.g. its token expired) and the new secret ran it again. */
  resumed: boolean;
  /** Due publications held while it was paused, handed to `wake` (the worker's own re-check sends them otherwise). */
  waiting: string[];
}

/**
 * Adds or changes a channel and, when given, its secret: the one way the CLI, the API and the desk save a channel.
 * The key (LOA_SECRET_KEY) and the adapter's own check of the secret come before any write, and the channel and
 * its secret are stored in one transaction: a refused secret leaves no half-made channel. A new secret resumes a
 * paused channel; its held publications are then given to `wake` (the caller's queues; a failure there only delays
 * them until the worker's re-check).
 *
 * `readSecret` is called after the key is found, so a person is not asked to type a token that cannot be stored.
 * Errors name the fields of `saveChannelAs`, and `secret` for the secret.
 */
export async function saveChannelWithSecretAs(
  db: Kysely<Database>,
  actor: Actor,
  adapters: Adapters,
  input: ChannelInput,
  readSecret?: () => Promise<string> | string,
  wake?: (platform: Platform, publicationIds: string[]) => Promise<unknown>,
  /** `checked`: the secret comes from a connection (src/actions/connect.ts), already checked on the platform. */
  options: { checked?: TokenFacts } = {},
): Promise<SavedChannel> {
  requireRole(actor, 'admin', 'thêm hoặc sửa kênh');
  const key = readSecret ? secretKeyFromEnv() : null;
  let secret: string | null = null;
  let facts: TokenFacts | null = options.checked ?? null;
  let unchecked: string | null = null;
  if (readSecret) {
    const raw = await readSecret();
    if (raw === '') throw new ValidationError('secret', 'không được để trống');
    const adapter = adapters[input.platform];
    try {
      secret = adapter?.prepareSecret?.(raw, new Date()) ?? raw;
    } catch (error) {
      throw new ValidationError('secret', (error as Error).message);
    }
    // A pasted secret gets the same checks as a connection: the platform must accept it. A platform that
    // cannot be reached now (an installation offline for a while) does not block saving: the state says "unchecked".
    if (adapter?.connector && !options.checked) {
      const channel = {
        id: input.id ?? '',
        unitId: input.unit,
        platform: input.platform,
        name: input.name,
        settings: input.settings,
      };
      try {
        const choice = await adapter.connector.checkPasted(secret, channel, new Date());
        if (choice.facts.missing.length)
          throw new ValidationError('secret', `token được nhận nhưng còn thiếu ${choice.facts.missing.join('; ')}`);
        secret = choice.secret;
        facts = choice.facts;
      } catch (error) {
        if (!(error instanceof ChannelError)) throw error;
        if (error.kind !== 'retry-later') throw new ValidationError('secret', error.message);
        unchecked = `chưa kiểm tra được trên nền tảng: ${error.message}`;
      }
    }
  }
  const saved = await db.transaction().execute(async (tx) => {
    const channel = await saveChannelAs(tx, actor, adapters, input);
    const resumed =
      secret !== null && key !== null
        ? (await setChannelSecret(tx, channel.id, secret, actor.name, key)).resumed
        : false;
    return { channel, resumed };
  });
  if (facts && !options.checked) await recordTokenSuccess(db, saved.channel.id, facts);
  if (unchecked) await recordTokenUnchecked(db, saved.channel.id, unchecked);
  const waiting = saved.resumed ? await dueWaitingPublications(db, saved.channel.id) : [];
  if (waiting.length && wake) await wake(saved.channel.platform, waiting);
  return { ...saved, secretStored: secret !== null, waiting };
}

export async function listUsersFor(db: Kysely<Database>, actor: Actor): Promise<User[]> {
  requireRole(actor, 'supervisor', 'xem danh sách tài khoản');
  return listUsers(db, unitScope(actor));
}

export async function addUserAs(
  db: Kysely<Database>,
  actor: Actor,
  input: { name: string; unit: string | null; role: Role; password: string },
): Promise<User> {
  requireRole(actor, 'admin', 'thêm tài khoản');
  const name = checkTypedText('name', input.name, 128);
  const unitId = input.unit ? (await getUnit(db, input.unit)).id : null;
  const user = await createUser(db, { name, unitId, role: input.role, password: input.password }, actor.name);
  await recordAudit(db, actor, 'user.add', user.name, unitId, { role: user.role });
  return user;
}

/**
 * An admin sets anyone's password; everyone else only their own. Changing one's own password through the API or the
 * desk asks for the current one (`current`), admins included: a session left open or a token copied is not enough to
 * take the account. The CLI does not ask: whoever opens the database holds everything already.
 */
export async function setPasswordAs(
  db: Kysely<Database>,
  actor: Actor,
  name: string,
  password: string,
  /** The session or token the change came through: it keeps working; every other one of the account ends. */
  keep: { sessionId?: string | null; token?: string | null } = {},
  current?: string,
): Promise<void> {
  // The role is checked before the name is looked up, so a refusal never tells whether that account exists.
  // Exact name (as stored), not sameName: two accounts may differ only by case.
  const own = name.normalize('NFC').trim() === actor.name;
  if (!own) requireRole(actor, 'admin', 'đổi mật khẩu của người khác');
  const user = await getUserByName(db, name);
  if (own && actor.source !== 'CLI') {
    if (!current) throw new ValidationError('current', 'cần nhập mật khẩu hiện tại để đổi mật khẩu của mình');
    if (!(await checkLogin(db, user.name, current)))
      throw new ValidationError('current', 'mật khẩu hiện tại không đúng; mật khẩu chưa đổi');
  }
  await setPassword(db, user.id, password, user.name === actor.name ? keep : {});
  await recordAudit(db, actor, 'user.password', user.name, user.unitId);
}

export async function disableUserAs(db: Kysely<Database>, actor: Actor, name: string): Promise<void> {
  requireRole(actor, 'admin', 'khóa tài khoản');
  const user = await getUserByName(db, name);
  if (user.unitId !== null) requireUnit(actor, user.unitId, 'tài khoản', name);
  await disableUser(db, user.id);
  await recordAudit(db, actor, 'user.disable', user.name, user.unitId);
}

/**
 * A new API token for the account `name` (an admin: anyone's; everyone else: their own), with a label saying where it
 * is used; the label is checked as every typed name is. The token is returned once and stored only as its hash.
 */
export async function createTokenAs(
  db: Kysely<Database>,
  actor: Actor,
  name: string,
  label: string,
): Promise<{ id: number; token: string }> {
  if (name.normalize('NFC').trim() !== actor.name) requireRole(actor, 'admin', 'tạo mã truy cập cho người khác');
  const clean = checkTypedText('label', label, 100);
  const user = await getUserByName(db, name);
  const created = await createToken(db, user.id, clean);
  await recordAudit(db, actor, 'token.create', created.record.id, user.unitId, { user: user.name, label: clean });
  return { id: created.record.id, token: created.token };
}
