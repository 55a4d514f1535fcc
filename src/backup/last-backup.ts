import fs from 'node:fs';
import path from 'node:path';

/**
 * The newest complete backup in a folder (a `.tar.gz` by its modification time; files still being written end in
 * `.dang-ghi` and are not counted), for `loa doctor` and `/metrics`. Null when there is none.
 */
export function lastBackup(dir: string): { file: string; at: Date } | null {
  if (!fs.existsSync(dir)) return null;
  let newest: { file: string; at: Date } | null = null;
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith('.tar.gz')) continue;
    const stat = fs.statSync(path.join(dir, name), { throwIfNoEntry: false });
    if (stat?.isFile() && (!newest || stat.mtime > newest.at)) newest = { file: path.join(dir, name), at: stat.mtime };
  }
  return newest;
}
