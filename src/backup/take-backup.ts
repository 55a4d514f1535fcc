import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import type SQLiteDatabase from 'better-sqlite3';
import type { Kysely } from 'kysely';

import { type Config, LOA_VERSION } from '../config';
import { ValidationError } from '../domain/errors';
import { countRows, listTables } from '../store/catalog';
import { connect, type Db, isPostgresUrl, sqliteFile } from '../store/connection';
import { appliedMigrations, schemaVersionOf } from '../store/migrate';
import { secretKeyId } from '../store/secret-cipher';
import { readTable } from '../store/table-copy';
import {
  ArchiveWriter,
  FORMAT,
  FORMAT_VERSION,
  MANIFEST,
  type Manifest,
  type ManifestEntry,
  type ManifestTable,
} from './archive';

/** Rows copied so far, of all the snapshot's rows. */
export interface BackupProgress {
  done: number;
  total: number;
}

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: Manifest;
}

/** The export folder's regular files, relative to it, sorted; symbolic links and other kinds are not followed. */
function exportFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** Copies every table of one consistent view of the database into the archive. */
async function copyTables(
  view: Kysely<any>,
  dialect: Db['dialect'],
  archive: ArchiveWriter,
  onProgress?: (p: BackupProgress) => void,
) {
  const tables: ManifestTable[] = [];
  const migrations = await appliedMigrations(view);
  const all = await listTables(view, dialect);
  const total = Object.values(await countRows(view, all)).reduce((sum, n) => sum + n, 0);
  let done = 0;
  for (const table of all) {
    const entry: ManifestTable = {
      name: table.name,
      columns: table.columns,
      primaryKey: table.primaryKey,
      rows: 0,
      files: [],
    };
    for await (const rows of readTable(view, table)) {
      const name = `db/${table.name}/${String(entry.files.length + 1).padStart(6, '0')}.jsonl`;
      const written = await archive.add(name, Buffer.from(rows.map((row) => JSON.stringify(row)).join('\n') + '\n'));
      entry.files.push({ ...written, rows: rows.length });
      entry.rows += rows.length;
      done += rows.length;
      onProgress?.({ done, total });
    }
    tables.push(entry);
  }
  const secrets = tables.some((t) => t.name === 'channels')
    ? await view.selectFrom('channels').select(['id', 'secret']).where('secret', 'is not', null).orderBy('id').execute()
    : [];
  return {
    tables,
    migrations,
    secrets: {
      channels: secrets.map((s) => s.id as string),
      keyIds: [...new Set(secrets.map((s) => secretKeyId(s.secret as string) ?? '?'))],
      keyIncluded: false as const,
    },
  };
}

/**
 * One consistent moment of the database, taken while workers keep publishing: on SQLite, the online backup API copies
 * the file page by page into a private copy (writers are not held back), which is then read; on PostgreSQL, one
 * read-only REPEATABLE READ transaction sees every table as of its first read.
 */
async function snapshot<T>(
  config: Config,
  scratchDir: string,
  read: (view: Kysely<any>, dialect: Db['dialect']) => Promise<T>,
): Promise<T> {
  if (isPostgresUrl(config.databaseUrl)) {
    const db = connect(config.databaseUrl, { poolSize: 1 });
    try {
      return await db.kysely
        .transaction()
        .setIsolationLevel('repeatable read')
        .setAccessMode('read only')
        .execute((tx) => read(tx, 'postgres'));
    } finally {
      await db.close();
    }
  }
  const source = sqliteFile(config.databaseUrl);
  if (!fs.existsSync(source))
    throw new ValidationError('LOA_DATABASE_URL', `không có tệp cơ sở dữ liệu "${path.resolve(source)}" để sao lưu`);
  const copy = path.join(scratchDir, `.loa-sao-luu-${randomBytes(6).toString('hex')}.db`);
  const SQLite = require('better-sqlite3') as typeof SQLiteDatabase;
  const live = new SQLite(source, { fileMustExist: true });
  try {
    live.pragma('busy_timeout = 10000');
    await live.backup(copy);
  } finally {
    live.close();
  }
  const db = connect(copy);
  try {
    return await read(db.kysely, 'sqlite');
  } finally {
    await db.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(copy + suffix, { force: true });
  }
}

/**
 * `loa backup`: the database (every table, read from its own catalogue) and the export folder in one file, written
 * under a temporary name and renamed when complete, so a failed backup (a full disk) never leaves a file that looks
 * whole. Channel secrets stay as stored (encrypted); the key is never read here.
 */
export async function takeBackup(
  config: Config,
  output: string,
  options: { now?: Date; onProgress?: (p: BackupProgress) => void } = {},
): Promise<BackupResult> {
  const file = path.resolve(output);
  if (fs.existsSync(file))
    throw new ValidationError('--output', `tệp "${file}" đã có; chọn tên khác (bản sao lưu không ghi đè)`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.dang-ghi`;
  fs.rmSync(partial, { force: true });
  const archive = new ArchiveWriter(partial);
  try {
    const createdAt = (options.now ?? new Date()).toISOString();
    const db = await snapshot(config, path.dirname(file), (view, dialect) =>
      copyTables(view, dialect, archive, options.onProgress).then((copied) => ({ ...copied, dialect })),
    );
    const exports: ManifestEntry[] = [];
    for (const relative of exportFiles(config.exportDir)) {
      const full = path.join(config.exportDir, relative);
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(full);
      } catch (error) {
        // A file taken away between the listing and the read (a programme rewritten by a worker) is not an error.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      exports.push(
        await archive.add(
          `exports/${relative.split(path.sep).join('/')}`,
          bytes,
          fs.statSync(full, { throwIfNoEntry: false })?.mtime,
        ),
      );
    }
    const manifest: Manifest = {
      format: FORMAT,
      formatVersion: FORMAT_VERSION,
      loaVersion: LOA_VERSION,
      createdAt,
      database: { dialect: db.dialect },
      schema: { version: schemaVersionOf(db.migrations), migrations: db.migrations },
      tables: db.tables,
      exports,
      secrets: db.secrets,
    };
    await archive.add(MANIFEST, Buffer.from(JSON.stringify(manifest, null, 1)));
    await archive.close();
    fs.renameSync(partial, file);
    return { file, bytes: fs.statSync(file).size, manifest };
  } catch (error) {
    await archive.abort();
    fs.rmSync(partial, { force: true });
    throw error;
  }
}
