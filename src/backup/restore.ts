import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import type { Kysely } from 'kysely';

import type { Config } from '../config';
import { OperationalError } from '../domain/errors';
import { countRows, listTables } from '../store/catalog';
import { connect, type Db } from '../store/connection';
import {
  assertSchemaNotNewer,
  migrate,
  migrateTo,
  MIGRATION_NAMES,
  SCHEMA_VERSION,
  schemaVersionOf,
} from '../store/migrate';
import { markMaybePostedSince } from '../store/restored-publications';
import { decryptSecret, type SecretKey, secretKeyFromEnv } from '../store/secret-cipher';
import { advanceSequences, insertRows, withoutTriggers } from '../store/table-copy';
import { exportTarget, FORMAT, MANIFEST, type Manifest, readArchive } from './archive';

/** A restore that was refused before anything was written: the reason, in one Vietnamese sentence. */
export class RestoreRefusedError extends OperationalError {
  override name = 'RestoreRefusedError';
}

export interface RestoreReport {
  manifest: Manifest;
  rows: number;
  exportFiles: number;
  /** Migrations of this Loa applied after the rows were loaded (the backup came from an older schema). */
  upgradedWith: string[];
  /** Publications due since the backup that may have gone out meanwhile: each is looked for before it is sent. */
  maybePosted: number;
  /** Channels whose stored secret the current LOA_SECRET_KEY does not open, with why. */
  unreadableSecrets: Array<{ channel: string; reason: string }>;
  /** LOA_SECRET_KEY is not set (or not a key): no secret could be tried. */
  keyProblem: string | null;
}

const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Reads the whole file once and checks it against its manifest: every entry present, none extra, none changed. */
async function verify(file: string): Promise<Manifest> {
  const seen = new Map<string, string>();
  let manifestBytes: Buffer | null = null;
  try {
    for await (const entry of readArchive(file)) {
      if (entry.name === MANIFEST) manifestBytes = entry.bytes;
      else seen.set(entry.name, digest(entry.bytes));
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw error;
    throw new RestoreRefusedError(
      `tệp sao lưu "${file}" hỏng, không đọc hết được (${(error as Error).message}); dùng một bản sao lưu khác`,
    );
  }
  if (!manifestBytes)
    throw new RestoreRefusedError(
      `tệp "${file}" không phải bản sao lưu của Loa, hoặc bị cắt cụt (không có ${MANIFEST})`,
    );
  let manifest: Manifest;
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
  } catch {
    throw new RestoreRefusedError(`tệp sao lưu "${file}" hỏng: ${MANIFEST} không đọc được`);
  }
  if (manifest.format !== FORMAT) throw new RestoreRefusedError(`tệp "${file}" không phải bản sao lưu của Loa`);
  const expected = [...manifest.tables.flatMap((t) => t.files), ...manifest.exports];
  const damaged = expected
    .filter((e) => seen.get(e.path) !== e.sha256)
    .map((e) => (seen.has(e.path) ? `${e.path} (sai mã kiểm tra SHA-256)` : `${e.path} (thiếu)`));
  const extra = [...seen.keys()].filter((name) => !expected.some((e) => e.path === name));
  if (damaged.length || extra.length) {
    const list = [...damaged, ...extra.map((name) => `${name} (không có trong danh mục)`)];
    throw new RestoreRefusedError(
      `tệp sao lưu "${file}" hỏng: ${list.slice(0, 5).join(', ')}${list.length > 5 ? ` và ${list.length - 5} mục khác` : ''}; không khôi phục gì, dùng một bản sao lưu khác`,
    );
  }
  return manifest;
}

/** The target must hold nothing: no row in any Loa table, no file in the export folder. */
async function checkTargetEmpty(db: Db, manifest: Manifest, exportDir: string): Promise<void> {
  const status = await assertSchemaNotNewer(db);
  const counts = await countRows(db.kysely, await listTables(db.kysely, db.dialect));
  const filled = Object.entries(counts).filter(([, n]) => n > 0);
  if (filled.length) {
    throw new RestoreRefusedError(
      `cơ sở dữ liệu đích ${db.description} không trống (${filled
        .map(([t, n]) => `${t}: ${n} dòng`)
        .slice(0, 5)
        .join(', ')}); ` +
        'chỉ khôi phục vào cơ sở dữ liệu trống — một tệp SQLite chưa có, hoặc một cơ sở dữ liệu PostgreSQL vừa tạo (createdb) — để không trộn hai bộ dữ liệu',
    );
  }
  const backupLast = manifest.schema.migrations.at(-1) ?? '';
  const ahead = status.applied.filter((name) => name > backupLast);
  if (ahead.length) {
    throw new RestoreRefusedError(
      `cơ sở dữ liệu đích ${db.description} đã có cấu trúc ${schemaVersionOf(status.applied)}, mới hơn bản sao lưu (${manifest.schema.version}); ` +
        'dùng một cơ sở dữ liệu trống hoàn toàn (xóa tệp SQLite, hoặc dropdb rồi createdb)',
    );
  }
  if (fs.existsSync(exportDir) && fs.readdirSync(exportDir).length > 0) {
    throw new RestoreRefusedError(
      `thư mục xuất ${exportDir} đã có tệp; khôi phục cần một thư mục trống (đặt LOA_EXPORT_DIR tới thư mục mới, hoặc dọn thư mục này)`,
    );
  }
}

/** Which stored secrets the current key opens; the restore reports the others, it does not fail on them. */
async function checkSecrets(db: Db): Promise<Pick<RestoreReport, 'unreadableSecrets' | 'keyProblem'>> {
  const stored = await db.kysely
    .selectFrom('channels')
    .select(['id', 'secret'])
    .where('secret', 'is not', null)
    .orderBy('id')
    .execute();
  let key: SecretKey;
  try {
    key = secretKeyFromEnv();
  } catch (error) {
    return {
      keyProblem: (error as Error).message,
      unreadableSecrets: stored.map((s) => ({ channel: s.id, reason: 'chưa có khóa để mở' })),
    };
  }
  const unreadableSecrets: RestoreReport['unreadableSecrets'] = [];
  for (const { id, secret } of stored) {
    try {
      decryptSecret(key, id, secret!);
    } catch (error) {
      unreadableSecrets.push({ channel: id, reason: (error as Error).message });
    }
  }
  return { keyProblem: null, unreadableSecrets };
}

/**
 * `loa restore FILE`: into an empty database of either kind (a backup of SQLite restores into PostgreSQL: how an
 * installation moves to several machines) and an empty export folder. Refusals (a damaged file, a newer schema, a
 * target that holds anything) come before any write. The target is migrated to the backup's own schema, the rows are
 * loaded in one transaction with the tables' triggers off (the report rollup is restored as it was, not counted
 * again), then this Loa's later migrations run on them. Publication states are restored as they were: what went out
 * stays published, and the queues are rebuilt from them by `loa reschedule` or the next worker start. What was still
 * to go out and fell due since the backup is marked as possibly out (markMaybePostedSince): it is looked for on the
 * platform before it is sent, never posted twice.
 */
export async function restoreBackup(
  config: Config,
  file: string,
  options: { onProgress?: (rows: number) => void } = {},
): Promise<RestoreReport> {
  const manifest = await verify(path.resolve(file));
  const unknown = manifest.schema.migrations.filter((name) => !MIGRATION_NAMES.includes(name));
  if (unknown.length) {
    throw new RestoreRefusedError(
      `bản sao lưu có cấu trúc ${manifest.schema.version} (Loa ${manifest.loaVersion}), mới hơn cấu trúc ${SCHEMA_VERSION} mà Loa này biết (thiếu ${unknown.join(', ')}); cài phiên bản Loa mới hơn rồi khôi phục`,
    );
  }
  const db = connect(config.databaseUrl, { poolSize: 1 });
  try {
    await checkTargetEmpty(db, manifest, config.exportDir);
    await migrateTo(db, manifest.schema.migrations.at(-1) ?? null);
    const targetTables = await listTables(db.kysely, db.dialect);
    for (const table of manifest.tables) {
      const target = targetTables.find((t) => t.name === table.name);
      const missing = table.columns.filter((c) => !target?.columns.includes(c));
      if (missing.length)
        throw new RestoreRefusedError(
          `bảng ${table.name} của bản sao lưu không khớp cấu trúc ${manifest.schema.version} (thiếu ${missing.join(', ')} ở cơ sở dữ liệu đích)`,
        );
    }
    let rows = 0;
    let exportFiles = 0;
    const written: string[] = [];
    try {
      await db.kysely.transaction().execute((tx) =>
        withoutTriggers(tx, db.dialect, targetTables, async () => {
          // Whatever the migrations themselves put in (none today) is in the backup too: the tables start empty.
          for (const table of [...targetTables].reverse()) await (tx as Kysely<any>).deleteFrom(table.name).execute();
          const files = new Map(
            manifest.tables.flatMap((t) => t.files.map((f) => [f.path, { table: t, sha256: f.sha256 }] as const)),
          );
          const exported = new Map(manifest.exports.map((e) => [e.path, e.sha256]));
          for await (const entry of readArchive(path.resolve(file))) {
            const chunk = files.get(entry.name);
            const expected = chunk?.sha256 ?? exported.get(entry.name);
            if (expected === undefined) continue; // the manifest
            if (digest(entry.bytes) !== expected)
              throw new RestoreRefusedError(
                `tệp sao lưu thay đổi trong lúc khôi phục (${entry.name}); không khôi phục gì`,
              );
            if (chunk) {
              const parsed = entry.bytes
                .toString('utf8')
                .split('\n')
                .filter(Boolean)
                .map((line) => JSON.parse(line) as unknown[]);
              await insertRows(tx, chunk.table.name, chunk.table.columns, parsed);
              rows += parsed.length;
              options.onProgress?.(rows);
            } else {
              const target = exportTarget(config.exportDir, entry.name);
              fs.mkdirSync(path.dirname(target), { recursive: true });
              fs.writeFileSync(target, entry.bytes);
              written.push(target);
              exportFiles += 1;
            }
          }
          const counts = await countRows(tx, targetTables);
          const wrong = manifest.tables.filter((t) => counts[t.name] !== t.rows);
          if (wrong.length)
            throw new RestoreRefusedError(
              `số dòng sau khi nạp không khớp bản sao lưu (${wrong.map((t) => `${t.name}: ${counts[t.name]} ≠ ${t.rows}`).join(', ')}); không khôi phục gì`,
            );
          await advanceSequences(tx, db.dialect);
        }),
      );
    } catch (error) {
      // The rows are rolled back with the transaction; the files written so far go too (the folder was empty).
      for (const target of written) fs.rmSync(target, { force: true });
      throw error;
    }
    const upgradedWith = await migrate(db);
    const maybePosted = await markMaybePostedSince(db.kysely, new Date(manifest.createdAt), new Date());
    return { manifest, rows, exportFiles, upgradedWith, maybePosted, ...(await checkSecrets(db)) };
  } finally {
    await db.close();
  }
}
