import type { Command } from 'commander';

import { registerItemLink } from './item-link';
import { AS_OPTION, wholeNumber } from './options';
import { actionsFrom } from './program';

const FIELD_OPTIONS: Array<[flag: string, description: string]> = [
  ['--plan <số>', 'kế hoạch (số trong Loa, xem: loa plans)'],
  ['--area <lĩnh vực>', 'lĩnh vực nội dung, ví dụ thu-tuc-hanh-chinh'],
  ['--unit <đơn vị>', 'đơn vị chủ trì (mã hoặc tên)'],
  ['--title <tiêu đề>', 'tiêu đề'],
  ['--body <nội dung>', 'nội dung'],
  ['--link <url>', 'đường link (không bắt buộc)'],
  ['--image <url>', 'ảnh (không bắt buộc)'],
  ['--priority <mức>', 'mức ưu tiên phát thanh: thong-thuong (mặc định), uu-tien, khan-cap'],
];

const run = actionsFrom(() => require('./run/items') as typeof import('./run/items'));

export function register(program: Command): void {
  const items = program.command('items').description('xem, thêm, sửa nội dung tuyên truyền');

  items
    .command('list', { isDefault: true })
    .description('liệt kê nội dung')
    .option('--plan <số>', 'chỉ của kế hoạch này', wholeNumber('--plan'))
    .option('--unit <đơn vị>', 'chỉ của đơn vị này')
    .option('--chua-duyet', 'chỉ nội dung chưa duyệt')
    .option('--json', 'in dạng JSON')
    .action(run('itemsList'));

  const add = items.command('add').description('thêm một nội dung');
  for (const [flag, description] of FIELD_OPTIONS) add.option(flag, description);
  add.option(...AS_OPTION).action(run('itemsAdd'));

  const edit = items
    .command('edit')
    .description('sửa một nội dung (việc sửa bỏ duyệt cũ, cần duyệt lại)')
    .argument('<số>', 'số của nội dung', wholeNumber('số'));
  for (const [flag, description] of FIELD_OPTIONS) edit.option(flag, description);
  edit.option(...AS_OPTION).action(run('itemsEdit'));

  items
    .command('import')
    .description(
      'thêm nhiều nội dung từ tệp .csv hoặc .json (cột: plan, area, unit, title, body, link, image); lỗi một dòng thì không thêm dòng nào',
    )
    .argument('<tệp>', 'tệp .csv hoặc .json')
    .option(...AS_OPTION)
    .action(run('itemsImport'));

  items
    .command('withdraw')
    .alias('rut')
    .description(
      'rút một nội dung: hủy các lượt chưa đăng, gỡ bài đã đăng khỏi nguồn tin (vẫn giữ trong nhật ký, kèm người rút và lý do)',
    )
    .argument('<số>', 'số của nội dung', wholeNumber('số'))
    .option('--reason <lý do>', 'lý do rút, ví dụ "thông tin đã thay đổi" (bắt buộc)')
    .option('--ly-do <lý do>', 'như --reason')
    .option('--json', 'in kết quả dạng JSON')
    .option(...AS_OPTION)
    .action(run('itemsWithdraw'));

  registerItemLink(items);
}
