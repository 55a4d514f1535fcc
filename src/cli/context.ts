import { SingleBar } from 'cli-progress';
import { TemplateError } from '../../channels/template';
import { readConfig, type Config } from '../config';
import { NotFoundError, StateError, ValidationError } from '../domain/errors';
import { ImportError } from '../importer';
import { openStore, type Db } from '../store';
import { SecretKeyError, SecretUnreadableError } from '../store/secret-cipher';

export const config: Config = readConfig();

/** Every command that changes something records who did it. */
export function actor(options: { as?: string }): string {
  const name = (options.as ?? config.user)?.normalize('NFC').trim();
  if (!name) throw new ValidationError('--as', 'cần biết ai thực hiện: thêm --as "Tên người" hoặc đặt biến môi trường LOA_USER');
  return name;
}

export const AS_OPTION = ['--as <tên>', 'người thực hiện (mặc định: biến LOA_USER)'] as const;

/** Opens the store for one command and always closes it. */
export async function withStore<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const db = await openStore(config.databaseUrl, { defaultUnit: config.defaultUnit });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** A progress bar on a terminal; silent when output goes to a file or another program. */
export function progress(total: number, label: string): { tick(done: number): void; stop(): void } {
  if (!process.stderr.isTTY || total < 2) return { tick: () => undefined, stop: () => undefined };
  const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total}`, stream: process.stderr, hideCursor: true });
  bar.start(total, 0);
  return { tick: (done) => bar.update(done), stop: () => bar.stop() };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Errors a person caused or can fix get one Vietnamese line; anything else is a bug and shows its stack. */
export function explainError(error: unknown): string | null {
  if (error instanceof ValidationError) return `Lỗi dữ liệu ở "${error.field}": ${error.reason}`;
  if (error instanceof NotFoundError || error instanceof StateError || error instanceof TemplateError || error instanceof ImportError || error instanceof SecretKeyError || error instanceof SecretUnreadableError) return `Lỗi: ${error.message}`;
  const code = (error as { code?: string }).code;
  if (code === 'ECONNREFUSED') return `Lỗi: không kết nối được dịch vụ (${(error as Error).message}). Chạy "loa doctor" để kiểm tra.`;
  return null;
}

/** Parses a positive whole number given on the command line, naming the option when it is not one. */
export function wholeNumber(field: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new ValidationError(field, `"${value}" không phải số nguyên dương`);
    return n;
  };
}

/**
 * Loads a module when a command first needs it, so commands that do not use BullMQ, Fastify or the channels
 * start without loading them. `id` is relative to src/cli/. `require`, not `import()`: one module system, so classes stay the same classes.
 */
export function lazy<T>(id: string): T {
  return require(require('node:path').resolve(__dirname, id)) as T;
}
