import { dirname } from 'node:path';

/** Bad input from a person or a file: names the field and says why, in Vietnamese. */
export class ValidationError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'ValidationError';
  }
}

/** Something a person asked for does not exist. */
export class NotFoundError extends Error {
  constructor(what: string, id: string | number) {
    super(`Không tìm thấy ${what} "${id}"`);
    this.name = 'NotFoundError';
  }
}

/** A state change that the publication's current state does not allow. */
export class StateError extends Error {
  override name = 'StateError';
}

/** Something around Loa is wrong (a service down, a port taken, a file missing): one Vietnamese sentence with the fix. */
export class OperationalError extends Error {
  override name = 'OperationalError';
}

/** The person is known but their role or unit does not allow this (HTTP 403). Another unit's things are NotFound instead. */
export class AccessError extends Error {
  override name = 'AccessError';
}

/** System codes of a write that found no room: the disk is full, or the user's quota is used up. */
const NO_ROOM = new Set(['ENOSPC', 'EDQUOT']);

/**
 * A write that the disk refused, said with what to do: naming the folder, never the temporary file the write went to
 * (a name like `….txt.4242-7.tmp` means nothing to an officer and changes on every try); the system's code is kept.
 */
function writeTrouble(code: string, file: string | undefined): string | null {
  const where = file ? ` thư mục ${dirname(file)}` : ' thư mục xuất';
  if (NO_ROOM.has(code))
    return `ổ đĩa chứa${where} đã đầy (${code}): không ghi được tệp; giải phóng chỗ trống trên ổ đó (hoặc đặt LOA_EXPORT_DIR sang ổ khác) rồi đăng lại`;
  if (code === 'EACCES' || code === 'EPERM')
    return `không có quyền ghi vào${where} (${code}); cấp quyền ghi cho người dùng chạy Loa`;
  if (code === 'EROFS') return `ổ đĩa chứa${where} chỉ cho đọc (${code})`;
  return null;
}

/** The system's file and network error codes a person may meet, in a few Vietnamese words. */
const SYSTEM_CODES: Record<string, string> = {
  EEXIST: 'đã có tệp hoặc thư mục cùng tên ở đó',
  ENOENT: 'không có tệp hoặc thư mục đó',
  ENOTDIR: 'một phần của đường dẫn là tệp chứ không phải thư mục',
  EISDIR: 'đường dẫn là một thư mục',
  EACCES: 'không có quyền',
  EPERM: 'không được phép',
  EROFS: 'ổ đĩa chỉ cho đọc',
  EBUSY: 'tệp đang được mở',
  ENOSPC: 'ổ đĩa đầy',
  EMFILE: 'mở quá nhiều tệp cùng lúc',
  EIO: 'lỗi đọc ghi ổ đĩa',
  ECONNREFUSED: 'máy bên kia không nhận kết nối',
  ECONNRESET: 'máy bên kia cắt kết nối',
  ETIMEDOUT: 'quá thời gian chờ kết nối',
};

/**
 * What went wrong, as one sentence for a person: a system error (Node's "EEXIST: file already exists, mkdir '…'") is
 * said in Vietnamese, keeping its code and path for whoever fixes it; any other error keeps its own message.
 */
export function errorText(error: unknown): string {
  // Duck-typed: an error from another realm (a vm context, a worker thread) is no `instanceof Error` here.
  if (typeof error !== 'object' || error === null || typeof (error as Error).message !== 'string') return String(error);
  const { code, path, syscall, message } = error as NodeJS.ErrnoException;
  const room = code ? writeTrouble(code, path) : null;
  if (room) return room;
  if (!code || !/^E[A-Z]+$/.test(code) || (!path && !syscall)) return message;
  const what = SYSTEM_CODES[code] ?? 'lỗi hệ thống';
  return `${what} (${code}${syscall ? ` khi ${syscall}` : ''}${path ? ` "${path}"` : ''})`;
}
