import type { Command } from 'commander';
import { PLATFORMS, type Platform } from '../domain/channel';
import { ValidationError } from '../domain/errors';
import { slugify } from '../domain/text';
import { listChannels, saveChannel } from '../store/channels';
import { ensureUnit, getUnit, listUnits } from '../store/units';
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
  return value as Record<string, unknown>;
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
    .action(async (name: string, options: { as?: string }) => {
      const who = actor(options);
      const unit = await withStore((db) => ensureUnit(db.kysely, name, who));
      console.log(`Đơn vị ${unit.id}: ${unit.name}`);
    });

  const channels = program.command('channels').description('các kênh đăng: cổng thông tin, đài truyền thanh, trang Facebook, Zalo OA của từng đơn vị');
  channels
    .command('list', { isDefault: true })
    .description('liệt kê kênh')
    .option('--json', 'in dạng JSON')
    .action(async (options: { json?: boolean }) => {
      const found = await withStore((db) => listChannels(db.kysely));
      if (options.json) printJson(found);
      else console.log(formatTable(found.map((c) => ({ ...c, settings: JSON.stringify(c.settings) })), [['id', 'Mã'], ['platform', 'Nền tảng'], ['unitId', 'Đơn vị', 30], ['name', 'Tên', 40], ['settings', 'Cài đặt', 60]]));
    });
  channels
    .command('add')
    .description('thêm hoặc sửa một kênh của một đơn vị (bí mật như token để ở biến môi trường, không để ở đây)')
    .requiredOption('--unit <đơn vị>', 'đơn vị sở hữu kênh (mã hoặc tên)')
    .requiredOption('--platform <nền tảng>', `một trong: ${PLATFORMS.join(', ')}`)
    .requiredOption('--name <tên>', 'tên kênh, ví dụ "Đài truyền thanh xã Tân Lập"')
    .option('--id <mã>', 'mã kênh (mặc định: từ tên)')
    .option('--settings <json>', 'cài đặt của kênh, ví dụ đài: {"dialect":"south","syllablesPerMinute":180}', '{}')
    .option(...AS_OPTION)
    .action(async (options: { unit: string; platform: string; name: string; id?: string; settings: string; as?: string }) => {
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
      const id = options.id ?? slugify(options.name);
      await withStore(async (db) => {
        const unit = await getUnit(db.kysely, options.unit);
        await saveChannel(db.kysely, { id, unitId: unit.id, platform, name: options.name.normalize('NFC').trim(), settings }, who);
      });
      console.log(`Đã lưu kênh ${id} (${platform}) của đơn vị ${options.unit}.`);
    });
}
