import fs from 'node:fs';
import path from 'node:path';

/**
 * Project root: templates, the shipped example plan and package.json are found from here, wherever Loa is run from.
 * This file is src/config.ts in the sources and dist/src/config.js in the compiled build (scripts/build.js).
 */
export const PROJECT_ROOT = path.resolve(
  __dirname,
  fs.existsSync(path.join(__dirname, '../package.json')) ? '..' : '../..',
);

export const LOA_VERSION: string = (
  JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

/** Where the SQLite database is when LOA_DATABASE_URL is not set. */
export const DEFAULT_DATABASE = './data/loa.db';

/**
 * Everything Loa reads from the environment, with its default. Secrets (tokens) are read by the channel
 * that needs them and never printed; `loa doctor` reports them only as set / not set.
 */
export interface Config {
  /** LOA_DATABASE_URL: a SQLite file path or a postgres:// URL. Default ./data/loa.db. */
  databaseUrl: string;
  /** LOA_REDIS_URL. Default redis://127.0.0.1:6379. */
  redisUrl: string;
  /** LOA_QUEUE_PREFIX: BullMQ key prefix, so several installations (or tests) can share one Redis. Default "loa". */
  queuePrefix: string;
  /** LOA_EXPORT_DIR: where radio scripts are written. Default ./exports. */
  exportDir: string;
  /** LOA_TEMPLATES_DIR: the officer-editable templates. Default the project's templates/. */
  templatesDir: string;
  /** LOA_PUBLIC_URL: the address the portal feed is reached at, for links in it. Default http://localhost:8080. */
  publicUrl: string;
  /** LOA_PORT: port of `loa serve`. Default 8080. */
  port: number;
  /** LOA_UNIT: the unit of a one-unit set-up; its rss and radio channels are created on first start. */
  defaultUnit: string;
  /** LOA_USER: who is acting, when --as is not given. */
  user: string | undefined;
  /**
   * LOA_FEED_FRESHNESS_MS: how long `loa serve` trusts its last look at the database before telling whether the feed
   * changed (one stamp read per interval, whatever the number of polls). A publication, edit or take-down made by any
   * process reaches the feed within this. Default 1000 (1 s); 0 looks at every request.
   */
  feedFreshnessMs: number;
  /** LOA_BACKUP_DIR: where `loa backup` (without --output) and `loa migrate` write, and where doctor and /metrics look. Default ./backups. */
  backupDir: string;
  /** LOA_BACKUP_EVERY_MS: how often a worker (one across all processes) takes a backup into backupDir. Default 1 day; 0: never. */
  backupEveryMs: number;
  /** LOA_BACKUP_KEEP: how many of those scheduled backups are kept (the oldest are removed). Default 7. */
  backupKeep: number;
}

function numberFrom(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(parsed) ? parsed : fallback;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    databaseUrl: env.LOA_DATABASE_URL || DEFAULT_DATABASE,
    redisUrl: env.LOA_REDIS_URL || 'redis://127.0.0.1:6379',
    queuePrefix: env.LOA_QUEUE_PREFIX || 'loa',
    exportDir: path.resolve(env.LOA_EXPORT_DIR || './exports'),
    templatesDir: path.resolve(env.LOA_TEMPLATES_DIR || path.join(PROJECT_ROOT, 'templates')),
    publicUrl: (env.LOA_PUBLIC_URL || `http://localhost:${numberFrom(env.LOA_PORT, 8080)}`).replace(/\/+$/, ''),
    port: numberFrom(env.LOA_PORT, 8080),
    defaultUnit: env.LOA_UNIT || 'Văn phòng UBND',
    user: env.LOA_USER || undefined,
    feedFreshnessMs: Math.max(0, numberFrom(env.LOA_FEED_FRESHNESS_MS, 1000)),
    backupDir: path.resolve(env.LOA_BACKUP_DIR || './backups'),
    backupEveryMs: Math.max(0, numberFrom(env.LOA_BACKUP_EVERY_MS, 86_400_000)),
    backupKeep: Math.max(1, Math.floor(numberFrom(env.LOA_BACKUP_KEEP, 7))),
  };
}
