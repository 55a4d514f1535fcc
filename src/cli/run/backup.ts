import path from 'node:path';

import { DateTime } from 'luxon';

import type { BackupResult } from '../../backup/take-backup';
import { formatLocal, LOCAL_ZONE } from '../../domain/time';
import { connect } from '../../store/connection';
import { migrate as applyMigrations, SCHEMA_VERSION, schemaStatus, schemaVersionOf } from '../../store/migrate';
import { config, progress } from '../context';

/** Where a backup goes when --output is not given: LOA_BACKUP_DIR, named by its Vietnam time. */
export function defaultBackupFile(prefix: string, now = new Date()): string {
  const stamp = DateTime.fromJSDate(now).setZone(LOCAL_ZONE).toFormat("yyyyLLdd'-'HHmmss");
  return path.join(config.backupDir, `${prefix}-${stamp}.tar.gz`);
}

function size(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

async function backupWithProgress(output: string): Promise<BackupResult> {
  const { takeBackup } = require('../../backup/take-backup') as typeof import('../../backup/take-backup');
  let bar: ReturnType<typeof progress> | undefined;
  try {
    return await takeBackup(config, output, {
      onProgress: ({ done, total }) => {
        bar ??= progress(total, 'Đang sao lưu (dòng)');
        bar.tick(done);
      },
    });
  } finally {
    bar?.stop();
  }
}

function describe(result: BackupResult): string {
  const { manifest } = result;
  const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
  const lines = [
    `Đã sao lưu vào ${result.file} (${size(result.bytes)}): Loa ${manifest.loaVersion}, cấu trúc ${manifest.schema.version}, ` +
      `${manifest.tables.length} bảng, ${rows} dòng, ${manifest.exports.length} tệp trong thư mục xuất; mã kiểm tra SHA-256 của từng phần nằm trong manifest.json.`,
  ];
  lines.push(
    manifest.secrets.channels.length
      ? `Bí mật của ${manifest.secrets.channels.length} kênh (${manifest.secrets.channels.join(', ')}) nằm trong tệp ở dạng đã mã hóa. ` +
          'Khóa LOA_SECRET_KEY KHÔNG được ghi vào tệp: cất giữ khóa riêng; khôi phục ở máy khác cần đúng khóa này, nếu không phải nhập lại bí mật của các kênh.'
      : 'Khóa LOA_SECRET_KEY không bao giờ được ghi vào bản sao lưu (hiện chưa kênh nào có bí mật lưu trong cơ sở dữ liệu).',
  );
  return lines.join('\n');
}

/** `loa backup [--output FILE]` */
export async function backup(options: { output?: string }): Promise<void> {
  console.log(describe(await backupWithProgress(options.output ?? defaultBackupFile('loa'))));
}

/** `loa restore FILE` */
export async function restore(file: string): Promise<void> {
  const { restoreBackup } = require('../../backup/restore') as typeof import('../../backup/restore');
  const report = await restoreBackup(config, file);
  const { manifest } = report;
  const lines = [
    `Đã khôi phục ${path.resolve(file)} (sao lưu lúc ${formatLocal(manifest.createdAt)} từ ${manifest.database.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'}, Loa ${manifest.loaVersion}, cấu trúc ${manifest.schema.version}): ` +
      `${report.rows} dòng của ${manifest.tables.length} bảng, ${report.exportFiles} tệp vào ${config.exportDir}.`,
  ];
  if (report.upgradedWith.length)
    lines.push(`Đã cập nhật cấu trúc lên ${SCHEMA_VERSION}: ${report.upgradedWith.join(', ')}.`);
  if (report.keyProblem) lines.push(`Chưa kiểm tra được bí mật của kênh: ${report.keyProblem}`);
  if (report.unreadableSecrets.length) {
    lines.push('Các kênh sau cần nhập lại bí mật (khóa LOA_SECRET_KEY hiện tại không mở được bí mật đã lưu):');
    for (const { channel, reason } of report.unreadableSecrets)
      lines.push(`  - ${channel}: ${reason} → loa channels edit ${channel} --secret-stdin`);
  } else if (manifest.secrets.channels.length) {
    lines.push(`Khóa LOA_SECRET_KEY hiện tại mở được bí mật của cả ${manifest.secrets.channels.length} kênh.`);
  }
  if (report.maybePosted > 0)
    lines.push(
      `${report.maybePosted} lượt đăng đến hạn sau lúc sao lưu có thể đã lên nền tảng trước khi dữ liệu mất: mỗi lượt sẽ được đối chiếu với nền tảng trước khi đăng (kênh không đối chiếu được thì chờ người kiểm tra), không đăng lại mù quáng.`,
    );
  lines.push(
    'Tiếp theo: chạy "loa reschedule" (hoặc khởi động "loa worker") để dựng lại hàng đợi từ cơ sở dữ liệu. Bài đã đăng giữ nguyên trạng thái "đã đăng" và không bị đăng lại.',
  );
  console.log(lines.join('\n'));
}

/** `loa migrate [--status] [--output FILE]` */
export async function migrate(options: { status?: boolean; output?: string }): Promise<void> {
  // Not openStore: that would apply the migrations before the backup.
  const db = connect(config.databaseUrl, { poolSize: 1 });
  let status: Awaited<ReturnType<typeof schemaStatus>>;
  try {
    status = await schemaStatus(db);
  } finally {
    await db.close();
  }
  const current = schemaVersionOf(status.applied);
  if (options.status) {
    console.log(
      `Cơ sở dữ liệu ${db.description}: cấu trúc ${current} (${status.applied.length} bản cập nhật đã áp dụng); Loa này: cấu trúc ${SCHEMA_VERSION}.`,
    );
    if (status.unknown.length)
      console.log(`Do một phiên bản Loa mới hơn áp dụng (Loa này không biết): ${status.unknown.join(', ')}`);
    console.log(
      status.pending.length
        ? `Còn chờ (${status.pending.length}):\n${status.pending.map((n) => `  - ${n}`).join('\n')}`
        : 'Không còn bản cập nhật nào chờ.',
    );
    process.exitCode = status.unknown.length ? 1 : 0;
    return;
  }
  if (status.pending.length === 0 && status.unknown.length === 0) {
    console.log(`Cấu trúc cơ sở dữ liệu đã là ${SCHEMA_VERSION}: không có gì để cập nhật.`);
    return;
  }
  // A database with no tables yet has nothing to lose: it is created without a backup.
  if (status.applied.length > 0 && status.unknown.length === 0) {
    const result = await backupWithProgress(options.output ?? defaultBackupFile('loa-truoc-cap-nhat'));
    console.log(`Đã sao lưu trước khi cập nhật: ${result.file}`);
  }
  const target = connect(config.databaseUrl, { poolSize: 1 });
  try {
    const applied = await applyMigrations(target);
    console.log(`Đã cập nhật cấu trúc từ ${current} lên ${SCHEMA_VERSION}: ${applied.join(', ')}.`);
  } finally {
    await target.close();
  }
}
