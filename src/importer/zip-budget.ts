import { inflateRawSync } from 'node:zlib';

import { ImportError } from './import-error';

/**
 * A .docx is a zip: a 1 MB file can inflate to gigabytes, or hold thousands of entries, and the Word reader would
 * inflate all of it before anything is refused. A plan is a few pages: its parts fit well under these limits.
 */
export const ZIP_LIMITS = {
  /** Entries in the archive (a plan's .docx has about 10-40). */
  entries: 2_000,
  /** Every entry inflated, together. */
  uncompressedBytes: 100 * 1024 * 1024,
} as const;

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function mb(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

/**
 * Checks a zip's budget before it is read: the entry count and the uncompressed sizes its directory declares, then the
 * real size of each entry, inflated with a ceiling (a directory can lie about sizes). Memory stays under the budget and
 * the work stops at the first entry over it. Throws ImportError('too-large' or 'unreadable') naming the file.
 */
export function checkZipBudget(buffer: Buffer, name: string): void {
  const broken = () =>
    new ImportError('unreadable', `Không đọc được tệp Word "${name}": tệp bị hỏng hoặc không đúng định dạng .docx.`);
  const tooBig = (why: string) =>
    new ImportError(
      'too-large',
      `Tệp "${name}" ${why}; một kế hoạch không cần nhiều như vậy (có thể là tệp nén bất thường). Không có gì được lưu.`,
    );
  // The end-of-central-directory record: in the last 22 + 65,535 bytes (its comment may follow it).
  let end = -1;
  for (let at = buffer.length - 22; at >= Math.max(0, buffer.length - 22 - 65_535); at--) {
    if (buffer.readUInt32LE(at) === EOCD) {
      end = at;
      break;
    }
  }
  if (end < 0) throw broken();
  const count = buffer.readUInt16LE(end + 10);
  let at = buffer.readUInt32LE(end + 16);
  if (count === 0xffff || at === 0xffffffff) throw tooBig('là tệp nén ZIP64 (rất lớn)');
  if (count > ZIP_LIMITS.entries) throw tooBig(`có ${count} phần bên trong (tối đa ${ZIP_LIMITS.entries})`);
  let declared = 0;
  const entries: Array<{ method: number; compressed: number; size: number; local: number }> = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > buffer.length || buffer.readUInt32LE(at) !== CENTRAL) throw broken();
    const entry = {
      method: buffer.readUInt16LE(at + 10),
      compressed: buffer.readUInt32LE(at + 20),
      size: buffer.readUInt32LE(at + 24),
      local: buffer.readUInt32LE(at + 42),
    };
    declared += entry.size;
    if (declared > ZIP_LIMITS.uncompressedBytes) throw tooBig(`giải nén ra hơn ${mb(ZIP_LIMITS.uncompressedBytes)}`);
    entries.push(entry);
    at += 46 + buffer.readUInt16LE(at + 28) + buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32);
  }
  // The sizes declared are only claims: inflate each entry with its declared size as the ceiling.
  let inflated = 0;
  for (const entry of entries) {
    if (entry.local + 30 > buffer.length || buffer.readUInt32LE(entry.local) !== LOCAL) throw broken();
    const start = entry.local + 30 + buffer.readUInt16LE(entry.local + 26) + buffer.readUInt16LE(entry.local + 28);
    const data = buffer.subarray(start, start + entry.compressed);
    let size = data.length;
    if (entry.method === 8) {
      try {
        size = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size) }).length;
      } catch (error) {
        if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
          throw tooBig('có phần giải nén ra lớn hơn kích thước nó tự khai');
        throw broken();
      }
    }
    inflated += size;
    if (inflated > ZIP_LIMITS.uncompressedBytes) throw tooBig(`giải nén ra hơn ${mb(ZIP_LIMITS.uncompressedBytes)}`);
  }
}
