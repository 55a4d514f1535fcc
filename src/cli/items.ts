import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { contentItemInput, contentItemPatch, parseInput, type ContentItem } from '../domain/content-item';
import { ValidationError } from '../domain/errors';
import { formatLocal } from '../domain/time';
import { addItemsAs, editItemAs, importItemsAs, withdrawAs } from '../actions/items';
import { decodeItemsFile, parseItemsText, rowName } from '../actions/items-file';
import { listItems } from '../store/items';
import { AS_OPTION, cliActor, config, lazy, printJson, progress, wholeNumber, withStore } from './context';
import { registerItemLink } from './item-link';
import { formatTable } from './table';

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

function showItems(items: ContentItem[]): void {
  if (items.length === 0) return console.log('Chưa có nội dung nào.');
  console.log(
    formatTable(
      items.map((i) => ({ ...i, approved: i.approvedAt ? `${i.approvedBy} ${formatLocal(i.approvedAt)}` : i.rejection ? `trả lại: ${i.rejection.reason}` : 'chưa duyệt' })),
      [['id', 'Số'], ['title', 'Tiêu đề', 50], ['areaKey', 'Lĩnh vực'], ['unitId', 'Đơn vị', 30], ['author', 'Người viết', 20], ['approved', 'Duyệt', 30]],
    ),
  );
}

/** Reads items from a .csv (header row = field names) or .json (an array of objects) file. */
export function readItemsFile(file: string): unknown[] {
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.json' && ext !== '.csv') throw new ValidationError('tệp', `chỉ nhận tệp .csv hoặc .json, không nhận "${ext || 'không có đuôi'}"`);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw new ValidationError('tệp', `không đọc được tệp ${file}`);
  }
  return parseItemsText(decodeItemsFile(bytes, file), ext === '.json' ? 'json' : 'csv', file);
}

export function register(program: Command): void {
  const items = program.command('items').description('xem, thêm, sửa nội dung tuyên truyền');

  items
    .command('list', { isDefault: true })
    .description('liệt kê nội dung')
    .option('--plan <số>', 'chỉ của kế hoạch này', wholeNumber('--plan'))
    .option('--unit <đơn vị>', 'chỉ của đơn vị này')
    .option('--chua-duyet', 'chỉ nội dung chưa duyệt')
    .option('--json', 'in dạng JSON')
    .action(async (options: { plan?: number; unit?: string; chuaDuyet?: boolean; json?: boolean }) => {
      const found = await withStore((db) => listItems(db.kysely, { planId: options.plan, unitId: options.unit, approved: options.chuaDuyet ? false : undefined }));
      if (options.json) printJson(found);
      else showItems(found);
    });

  const add = items.command('add').description('thêm một nội dung');
  for (const [flag, description] of FIELD_OPTIONS) add.option(flag, description);
  add.option(...AS_OPTION).action(async (options: Record<string, string> & { as?: string }) => {
    const author = cliActor(options);
    const input = parseInput(contentItemInput, options);
    const [item] = await withStore((db) => addItemsAs(db.kysely, author, [input]));
    console.log(`Đã thêm nội dung số ${item!.id}: ${item!.title}`);
  });

  const edit = items.command('edit').description('sửa một nội dung (việc sửa bỏ duyệt cũ, cần duyệt lại)').argument('<số>', 'số của nội dung', wholeNumber('số'));
  for (const [flag, description] of FIELD_OPTIONS) edit.option(flag, description);
  edit.option(...AS_OPTION).action(async (id: number, options: Record<string, string> & { as?: string }) => {
    const editor = cliActor(options);
    const { as: _as, ...fields } = options;
    const patch = parseInput(contentItemPatch, fields);
    if (Object.keys(patch).length === 0) throw new ValidationError('tùy chọn', 'không có gì để sửa: thêm ít nhất một trong --title, --body, --link, …');
    const item = await withStore((db) => editItemAs(db.kysely, editor, id, patch));
    console.log(`Đã sửa nội dung số ${item.id}; cần duyệt lại trước khi đăng.`);
  });

  items
    .command('import')
    .description('thêm nhiều nội dung từ tệp .csv hoặc .json (cột: plan, area, unit, title, body, link, image); lỗi một dòng thì không thêm dòng nào')
    .argument('<tệp>', 'tệp .csv hoặc .json')
    .option(...AS_OPTION)
    .action(async (file: string, options: { as?: string }) => {
      const author = cliActor(options);
      const rows = readItemsFile(file);
      const where = rowName(file.toLowerCase().endsWith('.csv') ? 'csv' : 'json');
      const inputs = rows.map((row, i) => parseInput(contentItemInput, row, where(i)));
      const bar = progress(inputs.length, 'Đang thêm nội dung');
      const { created, existing } = await withStore((db) => importItemsAs(db.kysely, author, inputs, where, bar.tick)).finally(bar.stop);
      const added = created.length ? `Đã thêm ${created.length} nội dung (số ${created[0]!.id} đến ${created.at(-1)!.id})` : 'Không thêm nội dung nào';
      console.log(existing.length ? `${added}; ${existing.length} nội dung đã có từ trước (số ${existing.map((i) => i.id).join(', ')}), không thêm lại.` : `${added}.`);
    });

  items
    .command('withdraw')
    .alias('rut')
    .description('rút một nội dung: hủy các lượt chưa đăng, gỡ bài đã đăng khỏi nguồn tin (vẫn giữ trong nhật ký, kèm người rút và lý do)')
    .argument('<số>', 'số của nội dung', wholeNumber('số'))
    .option('--reason <lý do>', 'lý do rút, ví dụ "thông tin đã thay đổi" (bắt buộc)')
    .option('--ly-do <lý do>', 'như --reason')
    .option('--json', 'in kết quả dạng JSON')
    .option(...AS_OPTION)
    .action(async (id: number, options: { reason?: string; lyDo?: string; json?: boolean; as?: string }) => {
      const reason = options.reason ?? options.lyDo;
      if (reason === undefined) throw new ValidationError('--reason', 'cần ghi lý do rút nội dung (--reason hoặc --ly-do)');
      const { createAdapters } = lazy<typeof import('../../channels')>('../../channels');
      const result = await withStore((db) => withdrawAs(db.kysely, cliActor(options), createAdapters(config), id, reason));
      if (options.json) return printJson(result);
      const { item, cancelled, withdrawn, inFlight, removeByHand } = result;
      console.log(`Đã rút nội dung số ${item.id} (${item.withdrawal!.by}: ${item.withdrawal!.reason}).`);
      if (cancelled.length) console.log(`Hủy ${cancelled.length} lượt chưa đăng: ${cancelled.map((p) => p.id).join(', ')}`);
      if (withdrawn.length) console.log(`Gỡ ${withdrawn.length} bài đã đăng khỏi các kênh của Loa (nguồn tin, trang bài, kịch bản phát thanh): ${withdrawn.map((p) => p.id).join(', ')}`);
      if (removeByHand.length) {
        console.log(`Còn ${removeByHand.length} bài Loa không tự gỡ được, cần gỡ bằng tay:`);
        for (const left of removeByHand) console.log(`- ${left.publication.id}: ${left.reason}`);
      }
      if (inFlight.length) console.log(`Đang đăng dở ${inFlight.length} lượt (${inFlight.map((p) => p.id).join(', ')}): chạy lại lệnh này sau khi đăng xong để gỡ.`);
      if (!cancelled.length && !withdrawn.length && !inFlight.length) console.log('Nội dung này chưa có lượt đăng nào.');
    });

  registerItemLink(items);
}
