import { parse as parseCsv } from 'csv-parse/sync';
import { ValidationError } from '../domain/errors';

export type ItemsFormat = 'csv' | 'json';

/**
 * Reads the rows of an items file: .csv (header row = field names) or .json (an array of objects). Shared by
 * `loa items import` and POST /api/items/import; `name` is how errors refer to the file.
 */
export function parseItemsText(text: string, format: ItemsFormat, name: string): unknown[] {
  if (format === 'json') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new ValidationError('tệp', `${name} không phải JSON hợp lệ (${(error as Error).message})`);
    }
    if (!Array.isArray(data)) throw new ValidationError('tệp', `${name} phải chứa một danh sách [ … ] các nội dung`);
    return data;
  }
  try {
    return parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    throw new ValidationError('tệp', `${name} không phải CSV hợp lệ (${(error as Error).message})`);
  }
}

/** How error messages name a row: "dòng 3" of a CSV file (after its header), "mục 1" of a JSON list. */
export function rowName(format: ItemsFormat): (index: number) => string {
  return (i) => (format === 'csv' ? `dòng ${i + 2}` : `mục ${i + 1}`);
}
