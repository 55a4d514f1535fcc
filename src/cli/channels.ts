import type { Command } from 'commander';
import { PLATFORMS, type Platform } from '../domain/channel';
import { ValidationError } from '../domain/errors';
import { findSecretKey, maskSettings } from '../domain/secrets';
import { checkIdentifier, checkNewChannelId } from '../domain/identifier';
import { findForbiddenCharacter, forbiddenCharacterReason, slugify } from '../domain/text';
import { findChannel, listChannels, saveChannel } from '../store/channels';
import { ensureUnit, findUnit, getUnit, listUnits } from '../store/units';
import { AS_OPTION, actor, config, lazy, printJson, withStore } from './context';
import { formatTable } from './table';

function parseSettings(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ValidationError('--settings', `không phải JSON hợp lệ (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ValidationError('--settings', 'phải là một đối tượng JSON { … }');
  const secret = findSecretKey(value);
  if (secret) {
    throw new ValidationError('--settings', `"${secret}" là bí mật; không để bí mật trong cài đặt kênh (cài đặt được in ra và lưu không mã hoá). Đưa bí mật qua đầu vào chuẩn bằng --secret-stdin để Loa lưu mã hoá`);
  }
  return value as Record<string, unknown>;
}

/** A display name: NFC, trimmed, not empty, no control characters, bounded. */
function checkName(field: string, raw: string): string {
  const name = raw.normalize('NFC').trim();
  if (!name) throw new ValidationError(field, 'không được để trống');
  if (name.length > 200) throw new ValidationError(field, 'dài quá 200 ký tự');
  const found = findForbiddenCharacter(name);
  if (found) throw new ValidationError(field, forbiddenCharacterReason(found));
  return name;
}

export function register(program: Command): void {
  const units = program.command('units').description('các đơn vị (sở, ngành, xã) dùng Loa');
  units
    .command('list', { isDefault: true })
    .description('liệt kê đơn vị')
    .option('--json', 'in dạng JSON')
    .action(async (options: { json?: boolean }) => {
      const found = await withStore((db) => listUnits(db.kysely));
      if (options.json) printJson(found);
      else console.log(formatTable(found.map((u) => ({ ...u })), [['id', 'Mã'], ['name', 'Tên', 70]]));
    });
  units
    .command('add')
    .description('thêm một đơn vị')
    .argument('<tên>', 'tên đơn vị, ví dụ "UBND xã Tân Lập"')
    .option(...AS_OPTION)
    .option('--id <mã>', 'mã đơn vị (mặc định: từ tên)')
    .action(async (name: string, options: { as?: string; id?: string }) => {
      const who = actor(options);
      const cleanName = checkName('<tên>', name);
      const id = checkIdentifier(options.id ? '--id' : '<tên>', options.id ?? slugify(cleanName));
      const unit = await withStore(async (db) => {
        // The id comes from the name: "ubnd xã tân lập" is the same unit as "UBND xã Tân Lập", and must not rename it.
        const existing = await findUnit(db.kysely, id);
        if (existing && existing.name === cleanName) return existing; // the same unit again: nothing to do
        if (existing) throw new ValidationError('<tên>', `đã có đơn vị ${existing.id} "${existing.name}"; không tạo lại và không đổi tên`);
        return ensureUnit(db.kysely, cleanName, who, id);
      });
      console.log(`Đơn vị ${unit.id}: ${unit.name}`);
    });

  const channels = program.command('channels').description('các kênh đăng: cổng thông tin, đài truyền thanh, trang Facebook, Zalo OA của từng đơn vị');
  channels
    .command('list', { isDefault: true })
    .description('liệt kê kênh')
    .option('--json', 'in dạng JSON')
    .action(async (options: { json?: boolean }) => {
      const found = await withStore((db) => listChannels(db.kysely));
      if (options.json) printJson(found.map((c) => ({ ...c, settings: maskSettings(c.settings) })));
      else console.log(formatTable(found.map((c) => ({ ...c, settings: JSON.stringify(maskSettings(c.settings)) })), [['id', 'Mã'], ['platform', 'Nền tảng'], ['unitId', 'Đơn vị', 30], ['name', 'Tên', 40], ['settings', 'Cài đặt', 60]]));
    });
  channels
    .command('add')
    .description('thêm hoặc sửa một kênh của một đơn vị (bí mật như token để ở biến môi trường, không để ở đây)')
    .requiredOption('--unit <đơn vị>', 'đơn vị sở hữu kênh (mã hoặc tên)')
    .requiredOption('--platform <nền tảng>', `một trong: ${PLATFORMS.join(', ')}`)
    .requiredOption('--name <tên>', 'tên kênh, ví dụ "Đài truyền thanh xã Tân Lập"')
    .option('--id <mã>', 'mã kênh (mặc định: từ tên)')
    .option('--sua', 'sửa kênh đã có (cùng mã); không có cờ này thì mã đã dùng bị từ chối')
    .option('--settings <json>', 'cài đặt của kênh, ví dụ đài: {"dialect":"south","syllablesPerMinute":180}', '{}')
    .option(...AS_OPTION)
    .action(async (options: { unit: string; platform: string; name: string; id?: string; settings: string; as?: string; sua?: boolean }) => {
      const who = actor(options);
      if (!PLATFORMS.includes(options.platform as Platform)) throw new ValidationError('--platform', `"${options.platform}" không có; chọn một trong: ${PLATFORMS.join(', ')}`);
      const platform = options.platform as Platform;
      const settings = parseSettings(options.settings);
      const { createAdapters } = lazy<typeof import('../../channels')>('../../channels');
      try {
        createAdapters(config)[platform]?.checkSettings?.(settings);
      } catch (error) {
        throw new ValidationError('--settings', (error as Error).message);
      }
      const name = checkName('--name', options.name);
      const idField = options.id !== undefined ? '--id' : '--name';
      const id = options.id ?? slugify(name);
      await withStore(async (db) => {
        const unit = await getUnit(db.kysely, options.unit);
        const existing = await findChannel(db.kysely, checkIdentifier(idField, id));
        // A channel is never replaced silently: a new one needs an unused id; --sua edits one, keeping its unit and platform.
        if (!existing) checkNewChannelId(idField, id);
        else if (!options.sua) throw new ValidationError(idField, `đã có kênh "${id}" (${existing.platform}, đơn vị ${existing.unitId}); chọn mã khác bằng --id, hoặc thêm --sua để sửa kênh đó`);
        else if (existing.unitId !== unit.id || existing.platform !== platform) throw new ValidationError(idField, `kênh "${id}" thuộc đơn vị ${existing.unitId}, nền tảng ${existing.platform}; --sua không đổi đơn vị hay nền tảng của kênh`);
        await saveChannel(db.kysely, { id, unitId: unit.id, platform, name, settings }, who);
      });
      console.log(`Đã lưu kênh ${id} (${platform}) của đơn vị ${options.unit}.`);
    });
}
