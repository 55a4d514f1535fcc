import fs from 'node:fs';

import type { Check } from './doctor-channels';

/** Below this a day's radio scripts, programmes and audio, or the database's growth, may not fit: an error. */
export const FREE_MIN_BYTES = 100 * 1024 * 1024;
/** Below this it is worth a warning while there is still time. */
export const FREE_LOW_BYTES = 1024 * 1024 * 1024;

function size(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${Math.floor(bytes / 1024 ** 2)} MB`;
}

/**
 * Free space on the disk under a folder `loa doctor` checks (the export folder, the SQLite file's folder): a folder
 * can be writable on a full disk, which is how a full disk used to pass doctor while every write failed.
 */
export function freeSpaceCheck(
  dir: string,
  what: string,
  statfs: (dir: string) => Pick<fs.StatsFs, 'bavail' | 'bsize'> = fs.statfsSync,
): Check {
  const stats = statfs(dir);
  const free = Number(stats.bavail) * Number(stats.bsize);
  if (free < FREE_MIN_BYTES)
    return {
      verdict: 'error',
      what: `${what} ${dir}: ổ đĩa gần đầy, chỉ còn ${size(free)} trống`,
      fix: 'Giải phóng chỗ trống trên ổ đó (xóa bản sao lưu cũ, nhật ký cũ) hoặc chuyển thư mục sang ổ khác.',
    };
  if (free < FREE_LOW_BYTES)
    return {
      verdict: 'warn',
      what: `${what} ${dir}: còn ${size(free)} trống`,
      fix: 'Sắp đầy: giải phóng chỗ trống trước khi việc ghi bị lỗi.',
    };
  return { verdict: 'ok', what: `${what} ${dir}: còn ${size(free)} trống` };
}
