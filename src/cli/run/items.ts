import fs from 'node:fs';
import path from 'node:path';

import { addItemsAs, editItemAs, importItemsAs, withdrawAs } from '../../actions/items';
import { decodeItemsFile, parseItemsText, rowName } from '../../actions/items-file';
import { type ContentItem, contentItemInput, contentItemPatch, parseInput } from '../../domain/content-item';
import { ValidationError } from '../../domain/errors';
import { formatLocal } from '../../domain/time';
import { listItems } from '../../store/items';
import { cliActor, printJson, progress, withParts, withStore } from '../context';
import { formatTable } from '../table';

function showItems(items: ContentItem[]): void {
  if (items.length === 0) return console.log('Chưa có nội dung nào.');
  console.log(
    formatTable(
      items.map((i) => ({
        ...i,
        approved: i.approvedAt
          ? `${i.approvedBy} ${formatLocal(i.approvedAt)}`
          : i.rejection
            ? `trả lại: ${i.rejection.reason}`
            : 'chưa duyệt',
      })),
      [
        ['id', 'Số'],
        ['title', 'Tiêu đề', 50],
        ['areaKey', 'Lĩnh vực'],
        ['unitId', 'Đơn vị', 30],
        ['author', 'Người viết', 20],
        ['approved', 'Duyệt', 30],
      ],
    ),
  );
}

/** Reads items from a .csv (header row = field names) or .json (an array of objects) file. */
export function readItemsFile(file: string): unknown[] {
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.json' && ext !== '.csv')
    throw new ValidationError('tệp', `chỉ nhận tệp .csv hoặc .json, không nhận "${ext || 'không có đuôi'}"`);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw new ValidationError('tệp', `không đọc được tệp ${file}`);
  }
  return parseItemsText(decodeItemsFile(bytes, file), ext === '.json' ? 'json' : 'csv', file);
}

/** `loa items list` */
export async function itemsList(options: {
  plan?: number;
  unit?: string;
  chuaDuyet?: boolean;
  json?: boolean;
}): Promise<void> {
  const found = await withStore((db) =>
    listItems(db.kysely, {
      planId: options.plan,
      unitId: options.unit,
      approved: options.chuaDuyet ? false : undefined,
    }),
  );
  if (options.json) printJson(found);
  else showItems(found);
}

/** `loa items add` */
export async function itemsAdd(options: Record<string, string> & { as?: string }): Promise<void> {
  const author = cliActor(options);
  const input = parseInput(contentItemInput, options);
  const [item] = await withStore((db) => addItemsAs(db.kysely, author, [input]));
  console.log(`Đã thêm nội dung số ${item!.id}: ${item!.title}`);
}

/** `loa items edit` */
export async function itemsEdit(id: number, options: Record<string, string> & { as?: string }): Promise<void> {
  const editor = cliActor(options);
  const { as: _as, ...fields } = options;
  const patch = parseInput(contentItemPatch, fields);
  if (Object.keys(patch).length === 0)
    throw new ValidationError('tùy chọn', 'không có gì để sửa: thêm ít nhất một trong --title, --body, --link, …');
  const item = await withStore((db) => editItemAs(db.kysely, editor, id, patch));
  console.log(`Đã sửa nội dung số ${item.id}; cần duyệt lại trước khi đăng.`);
}

/** `loa items import` */
export async function itemsImport(file: string, options: { as?: string }): Promise<void> {
  const author = cliActor(options);
  const rows = readItemsFile(file);
  const where = rowName(file.toLowerCase().endsWith('.csv') ? 'csv' : 'json');
  const inputs = rows.map((row, i) => parseInput(contentItemInput, row, where(i)));
  const bar = progress(inputs.length, 'Đang thêm nội dung');
  const { created, existing } = await withStore((db) =>
    importItemsAs(db.kysely, author, inputs, where, bar.tick),
  ).finally(bar.stop);
  const added = created.length
    ? `Đã thêm ${created.length} nội dung (số ${created[0]!.id} đến ${created.at(-1)!.id})`
    : 'Không thêm nội dung nào';
  console.log(
    existing.length
      ? `${added}; ${existing.length} nội dung đã có từ trước (số ${existing.map((i) => i.id).join(', ')}), không thêm lại.`
      : `${added}.`,
  );
}

/** `loa items withdraw` */
export async function itemsWithdraw(
  id: number,
  options: { reason?: string; lyDo?: string; json?: boolean; as?: string },
): Promise<void> {
  const reason = options.reason ?? options.lyDo;
  if (reason === undefined) throw new ValidationError('--reason', 'cần ghi lý do rút nội dung (--reason hoặc --ly-do)');
  // The channels load only for a withdrawal, not for every items command.
  const result = await withParts(({ db, adapters }) => withdrawAs(db.kysely, cliActor(options), adapters, id, reason));
  if (options.json) return printJson(result);
  const { item, cancelled, withdrawn, inFlight, removeByHand } = result;
  console.log(`Đã rút nội dung số ${item.id} (${item.withdrawal!.by}: ${item.withdrawal!.reason}).`);
  if (cancelled.length) console.log(`Hủy ${cancelled.length} lượt chưa đăng: ${cancelled.map((p) => p.id).join(', ')}`);
  if (withdrawn.length)
    console.log(
      `Gỡ ${withdrawn.length} bài đã đăng khỏi các kênh của Loa (nguồn tin, trang bài, kịch bản phát thanh): ${withdrawn.map((p) => p.id).join(', ')}`,
    );
  if (removeByHand.length) {
    console.log(`Còn ${removeByHand.length} bài Loa không tự gỡ được, cần gỡ bằng tay:`);
    for (const left of removeByHand) console.log(`- ${left.publication.id}: ${left.reason}`);
  }
  if (inFlight.length)
    console.log(
      `Đang đăng dở ${inFlight.length} lượt (${inFlight.map((p) => p.id).join(', ')}): chạy lại lệnh này sau khi đăng xong để gỡ.`,
    );
  if (!cancelled.length && !withdrawn.length && !inFlight.length) console.log('Nội dung này chưa có lượt đăng nào.');
}
