import type { Kysely } from 'kysely';
import type { Adapters } from '../../channels';
import { requireRole, requireUnit, unitScope, type Actor, type Role } from '../domain/access';
import { PLATFORMS, type ChannelAccount, type Platform, type Unit } from '../domain/channel';
import { ValidationError } from '../domain/errors';
import { slugify } from '../domain/text';
import { recordAudit } from '../store/audit';
import { listChannels, saveChannel } from '../store/channels';
import { createUser, disableUser, getUserByName, listUsers, setPassword, type User } from '../store/users';
import { ensureUnit, getUnit, listUnits } from '../store/units';
import type { Database } from '../store/schema';

/** Units, channels and users: province-wide administration, shared by the CLI and the HTTP API. */

export async function listUnitsFor(db: Kysely<Database>, actor: Actor): Promise<Unit[]> {
  const scope = unitScope(actor);
  const units = await listUnits(db);
  return scope === undefined ? units : units.filter((u) => u.id === scope);
}

export async function addUnitAs(db: Kysely<Database>, actor: Actor, name: string): Promise<Unit> {
  requireRole(actor, 'admin', 'thêm đơn vị');
  const clean = name.normalize('NFC').trim();
  if (!clean) throw new ValidationError('name', 'tên đơn vị không được để trống');
  const unit = await ensureUnit(db, clean, actor.name);
  await recordAudit(db, actor, 'unit.add', unit.id, unit.id, { name: unit.name });
  return unit;
}

export async function listChannelsFor(db: Kysely<Database>, actor: Actor): Promise<ChannelAccount[]> {
  const scope = unitScope(actor);
  const channels = await listChannels(db);
  return scope === undefined ? channels : channels.filter((c) => c.unitId === scope);
}

export interface ChannelInput {
  id?: string;
  unit: string;
  platform: string;
  name: string;
  settings: Record<string, unknown>;
}

/** Adds or changes a channel account; its settings are checked by the platform's adapter. */
export async function saveChannelAs(db: Kysely<Database>, actor: Actor, adapters: Adapters, input: ChannelInput): Promise<ChannelAccount> {
  requireRole(actor, 'admin', 'thêm hoặc sửa kênh');
  if (!PLATFORMS.includes(input.platform as Platform)) throw new ValidationError('platform', `"${input.platform}" không có; chọn một trong: ${PLATFORMS.join(', ')}`);
  const platform = input.platform as Platform;
  try {
    adapters[platform]?.checkSettings?.(input.settings);
  } catch (error) {
    throw new ValidationError('settings', (error as Error).message);
  }
  const unit = await getUnit(db, input.unit);
  const name = input.name.normalize('NFC').trim();
  if (!name) throw new ValidationError('name', 'tên kênh không được để trống');
  const channel = { id: input.id ?? slugify(name), unitId: unit.id, platform, name, settings: input.settings };
  await saveChannel(db, channel, actor.name);
  // Settings may hold what a platform calls secret: the audit records which keys changed, never their values.
  await recordAudit(db, actor, 'channel.save', channel.id, unit.id, { platform, settingKeys: Object.keys(input.settings) });
  return channel;
}

export async function listUsersFor(db: Kysely<Database>, actor: Actor): Promise<User[]> {
  requireRole(actor, 'supervisor', 'xem danh sách tài khoản');
  return listUsers(db, unitScope(actor));
}

export async function addUserAs(db: Kysely<Database>, actor: Actor, input: { name: string; unit: string | null; role: Role; password: string }): Promise<User> {
  requireRole(actor, 'admin', 'thêm tài khoản');
  const unitId = input.unit ? (await getUnit(db, input.unit)).id : null;
  const user = await createUser(db, { name: input.name, unitId, role: input.role, password: input.password }, actor.name);
  await recordAudit(db, actor, 'user.add', user.name, unitId, { role: user.role });
  return user;
}

/** An admin sets anyone's password; everyone else only their own. */
export async function setPasswordAs(db: Kysely<Database>, actor: Actor, name: string, password: string): Promise<void> {
  // The role is checked before the name is looked up, so a refusal never tells whether that account exists.
  // Exact name (as stored), not sameName: two accounts may differ only by case.
  if (name.normalize('NFC').trim() !== actor.name) requireRole(actor, 'admin', 'đổi mật khẩu của người khác');
  const user = await getUserByName(db, name);
  await setPassword(db, user.id, password);
  await recordAudit(db, actor, 'user.password', user.name, user.unitId);
}

export async function disableUserAs(db: Kysely<Database>, actor: Actor, name: string): Promise<void> {
  requireRole(actor, 'admin', 'khóa tài khoản');
  const user = await getUserByName(db, name);
  if (user.unitId !== null) requireUnit(actor, user.unitId, 'tài khoản', name);
  await disableUser(db, user.id);
  await recordAudit(db, actor, 'user.disable', user.name, user.unitId);
}
