import path from 'node:path';

import { ValidationError } from './errors';

/**
 * Ids of units and channels travel into file paths (radio scripts), BullMQ job ids (':' separates keys there) and
 * URLs (/rss/<kênh>.xml). One safe, bounded alphabet for all of them: lower-case ASCII letters, digits and single
 * inner dashes, 1–64 characters.
 */
const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_ID_LENGTH = 64;

/** Returns the id when it is safe; otherwise names the field and says what is allowed. */
export function checkIdentifier(field: string, id: string): string {
  if (id === '')
    throw new ValidationError(field, 'mã không được để trống; tên phải có ít nhất một chữ cái hoặc chữ số');
  if (id.length > MAX_ID_LENGTH) throw new ValidationError(field, `mã dài quá ${MAX_ID_LENGTH} ký tự`);
  if (!ID_PATTERN.test(id)) {
    throw new ValidationError(
      field,
      `mã "${id}" không hợp lệ: chỉ dùng chữ thường không dấu a-z, chữ số và dấu gạch ngang giữa các chữ (không dùng / \\ . : hay khoảng trắng)`,
    );
  }
  return id;
}

/**
 * A new channel's id: safe, and never one of `platforms` (the registry's names), which the portal and radio channels
 * of the first unit already use.
 */
export function checkNewChannelId(field: string, id: string, platforms: readonly string[]): string {
  checkIdentifier(field, id);
  if (platforms.includes(id)) {
    throw new ValidationError(
      field,
      `"${id}" là tên một nền tảng, không dùng làm mã kênh mới; đặt mã riêng, ví dụ ${id}-xa-tan-lap`,
    );
  }
  return id;
}

/** Joins parts under a root folder and checks the result stays inside it (ids are checked, but paths are guarded anyway). */
export function pathUnder(root: string, ...parts: string[]): string {
  const base = path.resolve(root);
  const joined = path.resolve(base, ...parts);
  if (joined !== base && !joined.startsWith(base + path.sep)) {
    throw new ValidationError('đường dẫn', `"${parts.join('/')}" ra ngoài thư mục ${base}`);
  }
  return joined;
}
