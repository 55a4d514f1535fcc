import fs from 'node:fs';
import path from 'node:path';

import type IORedis from 'ioredis';
import { DateTime } from 'luxon';

import { lastBackup } from '../src/backup/last-backup';
import { takeBackup } from '../src/backup/take-backup';
import type { Config } from '../src/config';
import { LOCAL_ZONE } from '../src/domain/time';
import { RedisExclusiveLock } from '../src/queue/exclusive-lock';
import { isDiskFull } from '../src/store/integrity';
import type { WorkerLog } from './log';

/** Scheduled backups are named so; only these are pruned (a person's `loa backup` and `loa migrate`'s are kept). */
const SCHEDULED = /^loa-hang-ngay-\d{8}-\d{6}\.tar\.gz$/;
/** How often a worker looks whether a backup is due. */
const LOOK_EVERY_MS = 60_000;
/** The lock outlasts any backup: if its holder dies, another worker takes over after this. */
const LOCK_MS = 3 * 3_600_000;

export interface DailyBackupOptions {
  /** Redis shared by every worker of the installation: the lock and the time of the last scheduled backup. */
  redis: IORedis;
  log: WorkerLog;
  /** The clock (tests move it a day at a time). */
  now?: () => Date;
  lookEveryMs?: number;
}

export interface DailyBackups {
  /** Takes the backup if it is due and no other worker is taking it; the file written, or null. */
  runIfDue(): Promise<string | null>;
  close(): Promise<void>;
}

/** The scheduled backup's file in LOA_BACKUP_DIR, named by its Vietnam time so they sort by name. */
function scheduledFile(dir: string, at: Date): string {
  return path.join(
    dir,
    `loa-hang-ngay-${DateTime.fromJSDate(at).setZone(LOCAL_ZONE).toFormat('yyyyLLdd-HHmmss')}.tar.gz`,
  );
}

/** Keeps the newest `keep` scheduled backups; returns the ones removed. */
export function pruneScheduled(dir: string, keep: number): string[] {
  if (!fs.existsSync(dir)) return [];
  const old = fs
    .readdirSync(dir)
    .filter((name) => SCHEDULED.test(name))
    .sort()
    .reverse()
    .slice(keep);
  for (const name of old) fs.rmSync(path.join(dir, name), { force: true });
  return old;
}

/**
 * The worker's scheduled backup: every LOA_BACKUP_EVERY_MS one worker of the whole installation takes
 * `loa backup` into LOA_BACKUP_DIR and keeps the newest LOA_BACKUP_KEEP of them. Every worker looks once a minute;
 * the one that takes a Redis lock without waiting does it, and the time it finished is kept in Redis, so workers on
 * several machines take one backup a day between them, not one each. A backup of any kind in the folder (a person's,
 * or `loa migrate`'s) counts as the day's.
 */
export function keepDailyBackups(config: Config, options: DailyBackupOptions): DailyBackups {
  const now = options.now ?? (() => new Date());
  const lock = new RedisExclusiveLock(options.redis, { prefix: config.queuePrefix });
  const marker = `${config.queuePrefix}:backup:last`;
  const lastAt = async () =>
    Math.max(Number(await options.redis.get(marker)) || 0, lastBackup(config.backupDir)?.at.getTime() ?? 0);
  const due = async () => now().getTime() - (await lastAt()) >= config.backupEveryMs;

  const runIfDue = async (): Promise<string | null> => {
    if (config.backupEveryMs <= 0 || !(await due())) return null;
    let written: string | null = null;
    await lock.runIfFree('backup', LOCK_MS, async () => {
      if (!(await due())) return; // another worker finished one while this one was looking
      const at = now();
      const result = await takeBackup(config, scheduledFile(config.backupDir, at), { now: at });
      await options.redis.set(marker, String(at.getTime()));
      written = result.file;
      const removed = pruneScheduled(config.backupDir, config.backupKeep);
      options.log('info', 'đã sao lưu theo lịch', {
        tep: result.file,
        byte: result.bytes,
        giu_lai: config.backupKeep,
        da_xoa: removed.length ? removed.join(', ') : undefined,
      });
    });
    return written;
  };

  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    running ??= runIfDue()
      .catch((error: Error) =>
        options.log(
          'error',
          isDiskFull(error)
            ? `Không sao lưu được theo lịch: ổ đĩa của ${config.backupDir} (LOA_BACKUP_DIR) đã đầy; giải phóng chỗ trống hoặc đặt LOA_BACKUP_DIR sang ổ khác. Sẽ thử lại sau.`
            : `Không sao lưu được theo lịch: ${error.message}. Sẽ thử lại sau.`,
          { thu_muc: config.backupDir },
        ),
      )
      .finally(() => (running = null));
  }, options.lookEveryMs ?? LOOK_EVERY_MS);
  timer.unref();
  return {
    runIfDue,
    async close() {
      clearInterval(timer);
      await running;
    },
  };
}
