import path from 'node:path';

/** System codes of a write that found no room: the disk is full, or the user's quota is used up. */
const NO_ROOM = new Set(['ENOSPC', 'EDQUOT']);

/**
 * Why something failed, for the publish log that officers read (`loa log`, the desk): a full disk or a refused write
 * is said in Vietnamese naming the folder, never the temporary file the write went to (a name like
 * `….txt.4242-7.tmp` means nothing to an officer and changes on every try); the system's code is kept. Anything else
 * keeps its own message.
 */
export function failureReason(error: unknown): string {
  const { code, path: file } = (error ?? {}) as { code?: string; path?: string };
  const folder = file ? path.dirname(file) : undefined;
  const where = folder ? ` thư mục ${folder}` : '';
  if (code && NO_ROOM.has(code))
    return `ổ đĩa chứa${where || ' thư mục xuất'} đã đầy (${code}): không ghi được tệp; giải phóng chỗ trống trên ổ đó (hoặc đặt LOA_EXPORT_DIR sang ổ khác) rồi đăng lại`;
  if (code === 'EACCES' || code === 'EPERM')
    return `không có quyền ghi vào${where || ' thư mục xuất'} (${code}); cấp quyền ghi cho người dùng chạy Loa`;
  if (code === 'EROFS') return `ổ đĩa chứa${where || ' thư mục xuất'} chỉ cho đọc (${code})`;
  return error instanceof Error ? error.message : String(error);
}
