import { sql } from 'kysely';

import { OperationalError } from '../domain/errors';
import type { Db } from './connection';

/**
 * A damaged database and a full disk, as the drivers report them: recognised by the drivers' own
 * codes, never by words in a message, and said to people in one Vietnamese sentence with the thing to do.
 */

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let e = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}

/**
 * SQLite's SQLITE_CORRUPT (with its extended forms) and SQLITE_NOTADB; PostgreSQL's data_corrupted (XX001) and
 * index_corrupted (XX002), https://www.postgresql.org/docs/current/errcodes-appendix.html.
 */
export function isCorruption(error: unknown): boolean {
  return codesOf(error).some(
    (code) => code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' || code === 'XX001' || code === 'XX002',
  );
}

/** SQLite's SQLITE_FULL (its file or the disk under it is full), the system's ENOSPC and EDQUOT, PostgreSQL's disk_full (53100). */
export function isDiskFull(error: unknown): boolean {
  return codesOf(error).some(
    (code) => code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT' || code === '53100',
  );
}

/** What to do with a damaged database: stop writing into it and restore the newest backup into a new file. */
export const RESTORE_ADVICE =
  'Dừng mọi tiến trình Loa (loa worker, loa serve) để không ghi thêm vào tệp hỏng, rồi khôi phục bản sao lưu gần nhất vào một tệp mới: ' +
  'LOA_DATABASE_URL=<tệp mới> loa restore <bản sao lưu mới nhất trong LOA_BACKUP_DIR>, chạy "loa reschedule" và khởi động lại (README, "Backups, restores and upgrades").';

export class DatabaseDamagedError extends OperationalError {
  override name = 'DatabaseDamagedError';
  constructor(where: string, detail: string) {
    super(`cơ sở dữ liệu ${where} bị hỏng (${detail}). ${RESTORE_ADVICE}`);
  }
}

/** SQLite's own check of its pages (quick_check: no index contents, so it stays fast); null when whole or on PostgreSQL. */
export async function integrityProblem(db: Db): Promise<string | null> {
  if (db.dialect !== 'sqlite') return null;
  try {
    const { rows } = await sql<{ quick_check: string }>`pragma quick_check(5)`.execute(db.kysely);
    const found = rows.map((r) => r.quick_check.replace(/\s*\n\s*/g, '; ')).filter((line) => line !== 'ok');
    return found.length ? `PRAGMA quick_check: ${found.join('; ')}` : null;
  } catch (error) {
    if (isCorruption(error)) return `PRAGMA quick_check: ${(error as Error).message}`;
    throw error;
  }
}

/** Refuses to run on a damaged database: every process checks at start (`loa serve`, `loa worker`). */
export async function assertIntact(db: Db): Promise<void> {
  const problem = await integrityProblem(db);
  if (problem) throw new DatabaseDamagedError(db.description, problem);
}

/**
 * A process's "stop writing" switch: the first corruption error seen anywhere trips it, and from then on the process
 * writes nothing (the worker claims no publication, `loa serve` answers 503 to writes) until it is restarted on a
 * restored database. Writing more into a damaged file spreads the damage and records posts that the feed cannot show.
 */
export class WriteStop {
  private reason: string | null = null;

  /** Why writing stopped, in Vietnamese with the thing to do; null while writing is allowed. */
  get stopped(): string | null {
    return this.reason;
  }

  /** Trips on a corruption error; true the first time (the caller says it once in its log). */
  noteError(error: unknown, where: string): boolean {
    if (this.reason !== null || !isCorruption(error)) return false;
    this.reason = new DatabaseDamagedError(where, (error as Error).message).message;
    return true;
  }
}
