import { createHash } from 'node:crypto';

import { parse as parseCsv } from 'csv-parse/sync';

import type { ContentItemInput } from '../domain/content-item';
import { ValidationError } from '../domain/errors';

export type ItemsFormat = 'csv' | 'json';

const LEGACY_ENCODING =
  'không phải mã UTF-8 (có thể là bảng mã cũ như TCVN3/ABC, VNI hay Windows-1258): Loa không đoán bảng mã vì đoán sai sẽ lưu chữ lỗi; ' +
  'hãy mở tệp và lưu lại dạng UTF-8 (Excel: "CSV UTF-8"; Unikey: công cụ chuyển mã sang Unicode) rồi nhập lại';

/**
 * The text of an items file from its bytes. UTF-8 (with or without its BOM) and UTF-16 with a BOM (Excel's
 * "Unicode text") are read exactly; anything else is refused. The legacy Vietnamese encodings (TCVN3, VNI,
 * Windows-1258) are all single-byte and cannot be told apart reliably from the bytes, so decoding one by guess
 * would store mojibake: the officer is told to convert the file instead.
 */
export function decodeItemsFile(bytes: Uint8Array, name: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ValidationError('tệp', `${name} ${LEGACY_ENCODING}`);
  }
}

/** Blank optional cells mean "not given": a blank priority takes the default, as the README's example shows. */
function withoutBlankOptionals(row: unknown): unknown {
  if (!row || typeof row !== 'object' || Array.isArray(row)) return row;
  const copy = { ...(row as Record<string, unknown>) };
  for (const key of ['priority', 'link', 'image'])
    if (typeof copy[key] === 'string' && (copy[key] as string).trim() === '') delete copy[key];
  return copy;
}

/**
 * Reads the rows of an items file: .csv (header row = field names) or .json (an array of objects). Shared by
 * `loa items import` and POST /api/items/import; `name` is how errors refer to the file. A leading BOM is
 * dropped; text that went through a wrong decoding on the way (U+FFFD) and a file without rows are refused.
 */
export function parseItemsText(raw: string, format: ItemsFormat, name: string): unknown[] {
  const text = raw.replace(/^\uFEFF/, '');
  const broken = text.indexOf('\uFFFD');
  if (broken >= 0)
    throw new ValidationError(
      'tệp',
      `${name} có ký tự lỗi mã hóa (U+FFFD ở vị trí ${broken + 1}): tệp ${LEGACY_ENCODING}`,
    );
  if (text.trim() === '') throw new ValidationError('tệp', `${name} rỗng: không có nội dung nào để thêm`);
  let rows: unknown[];
  if (format === 'json') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new ValidationError('tệp', `${name} không phải JSON hợp lệ (${(error as Error).message})`);
    }
    if (!Array.isArray(data)) throw new ValidationError('tệp', `${name} phải chứa một danh sách [ … ] các nội dung`);
    rows = data;
  } else {
    try {
      rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
    } catch (error) {
      throw new ValidationError('tệp', `${name} không phải CSV hợp lệ (${(error as Error).message})`);
    }
  }
  if (rows.length === 0)
    throw new ValidationError(
      'tệp',
      `${name} không có dòng nội dung nào${format === 'csv' ? ' (chỉ có dòng tiêu đề cột)' : ''}`,
    );
  return rows.map(withoutBlankOptionals);
}

/** How error messages name a row: "dòng 3" of a CSV file (after its header), "mục 1" of a JSON list. */
export function rowName(format: ItemsFormat): (index: number) => string {
  return (i) => (format === 'csv' ? `dòng ${i + 2}` : `mục ${i + 1}`);
}

/**
 * Where an imported row came from, for `origin_key`: a hash of what it says once checked (NFC, trimmed), so the
 * same file imported again, or the same row in another file, finds the item already stored instead of adding it.
 */
export function importOrigin(input: ContentItemInput): string {
  const { plan, area, unit, title, body, link, image, priority } = input;
  const digest = createHash('sha256')
    .update(JSON.stringify([plan, area, unit, title, body, link, image, priority]))
    .digest('base64url');
  return `import:${digest.slice(0, 32)}`;
}
