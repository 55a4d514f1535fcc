import type { Command } from 'commander';
import { addUnitAs, saveChannelAs } from '../actions/admin';
import { PLATFORMS } from '../domain/channel';
import { ValidationError } from '../domain/errors';
import { listChannels } from '../store/channels';
import { listUnits } from '../store/units';
import { AS_OPTION, cliActor, config, lazy, printJson, withStore } from './context';
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
      const who = cliActor(options);
      const unit = await withStore((db) => addUnitAs(db.kysely, who, name));
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
      const who = cliActor(options);
      const settings = parseSettings(options.settings);
      const { createAdapters } = lazy<typeof import('../../channels')>('../../channels');
      const { id } = await withStore((db) =>
        saveChannelAs(db.kysely, who, createAdapters(config), { id: options.id, unit: options.unit, platform: options.platform, name: options.name, settings }).catch((error: unknown) => {
          // The shared action names API fields; on the command line they are options.
          throw error instanceof ValidationError ? new ValidationError(`--${error.field}`, error.reason) : error;
        }),
      );
      console.log(`Đã lưu kênh ${id} (${options.platform}) của đơn vị ${options.unit}.`);
    });
}
