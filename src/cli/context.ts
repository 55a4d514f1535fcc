import { SingleBar } from 'cli-progress';

import { TemplateError } from '../../channels/template';
import type { ComposeOptions, ProcessParts } from '../compose';
import type { Actor } from '../domain/access';
import { AccessError, NotFoundError, OperationalError, StateError, ValidationError } from '../domain/errors';
import { maskUrl } from '../domain/secrets';
import { ImportError } from '../importer';
import { type Db, openStore } from '../store';
import { SecretKeyError, SecretUnreadableError } from '../store/secret-cipher';
import { AS_OPTION, config, wholeNumber } from './options';

export { AS_OPTION, config, wholeNumber };

/** Every command that changes something records who did it. */
export function actor(options: { as?: string }): string {
  const name = (options.as ?? config.user)?.normalize('NFC').trim();
  if (!name)
    throw new ValidationError('--as', 'cần biết ai thực hiện: thêm --as "Tên người" hoặc đặt biến môi trường LOA_USER');
  return name;
}

/**
 * The CLI acts as the person named by --as / LOA_USER with an administrator's rights: whoever can open the
 * database already holds everything. The audit trail says "CLI"; the four-eyes rule still holds by name.
 */
export function cliActor(options: { as?: string }): Actor {
  return { name: actor(options), role: 'admin', unitId: null, source: 'CLI' };
}

/** Opens the store for one command and always closes it. */
export async function withStore<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const db = await openStore(config.databaseUrl, {
    defaultUnit: config.defaultUnit,
    // The channels a one-unit set-up starts with, as the platforms' adapters declare them.
    startingChannels: (unit) => {
      const { createAdapters, startingChannels } = lazy<typeof import('../../channels')>('../../channels');
      return startingChannels(createAdapters(config), unit);
    },
  });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/**
 * What a command that queues, publishes or checks channels works with (src/compose.ts: the store, the adapters, the
 * queues), built once for the command and always closed. The channels and BullMQ load only here.
 */
export async function withParts<T>(work: (parts: ProcessParts) => Promise<T>, options?: ComposeOptions): Promise<T> {
  const { composeProcess } = lazy<typeof import('../compose')>('../compose');
  const parts = await composeProcess(config, options);
  try {
    return await work(parts);
  } finally {
    await parts.close();
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
  if (
    error instanceof NotFoundError ||
    error instanceof StateError ||
    error instanceof AccessError ||
    error instanceof TemplateError ||
    error instanceof ImportError ||
    error instanceof OperationalError ||
    error instanceof SecretKeyError ||
    error instanceof SecretUnreadableError
  )
    return `Lỗi: ${error.message}`;
  return explainSystemError(error);
}

/**
 * Loads a module when a command first needs it, so commands that do not use BullMQ, Fastify or the channels
 * start without loading them. `id` is relative to src/cli/. `require`, not `import()`: one module system, so classes stay the same classes.
 */
export function lazy<T>(id: string): T {
  return require(require('node:path').resolve(__dirname, id)) as T;
}

/**
 * Errors from the system and the drivers that a person reaches by a wrong setting or a service that is down,
 * as one sentence: what is wrong and how to fix it. Addresses are shown with their passwords masked.
 */
function explainSystemError(error: unknown, depth = 0): string | null {
  const cause = (error as { cause?: unknown })?.cause;
  const {
    code,
    address,
    port,
    path: file,
    syscall,
  } = error as { code?: string; address?: string; port?: number; path?: string; syscall?: string };
  const where = address ? `${address}${port ? `:${port}` : ''}` : '';
  switch (code) {
    case 'ECONNREFUSED':
      return `Lỗi: không kết nối được dịch vụ ở ${where || 'địa chỉ đã đặt'} (chưa chạy hoặc sai cổng). Kiểm tra LOA_DATABASE_URL và LOA_REDIS_URL, rồi chạy "loa doctor".`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Lỗi: không tìm thấy máy "${(error as { hostname?: string }).hostname ?? where}". Kiểm tra tên máy trong LOA_DATABASE_URL hoặc LOA_REDIS_URL.`;
    case 'ETIMEDOUT':
      return `Lỗi: dịch vụ ở ${where || 'địa chỉ đã đặt'} không trả lời. Kiểm tra mạng và địa chỉ, rồi chạy "loa doctor".`;
    case 'EADDRINUSE':
      return `Lỗi: cổng ${port ?? ''} đang được chương trình khác dùng. Chọn cổng khác bằng --port hoặc LOA_PORT.`;
    case 'EACCES':
      return syscall === 'listen'
        ? `Lỗi: không được phép dùng cổng ${port ?? ''} (cổng dưới 1024 cần quyền quản trị). Chọn cổng từ 1024 đến 65535.`
        : `Lỗi: không có quyền đọc/ghi "${file ?? ''}". Kiểm tra quyền của tệp hoặc thư mục.`;
    case 'EISDIR':
      return `Lỗi: "${file ?? ''}" là một thư mục; hãy chỉ ra một tệp.`;
    case 'ENOENT':
      return `Lỗi: không tìm thấy "${file ?? ''}". Kiểm tra lại đường dẫn.`;
    case 'SQLITE_BUSY':
      return 'Lỗi: cơ sở dữ liệu đang bận: một tiến trình Loa khác giữ quyền ghi quá 10 giây (một lần khôi phục, cập nhật cấu trúc hay sao lưu lớn). Chờ nó xong rồi chạy lại.';
    case '3D000':
      return `Lỗi: cơ sở dữ liệu PostgreSQL trong LOA_DATABASE_URL (${maskUrl(config.databaseUrl)}) chưa có. Tạo nó (createdb) hoặc sửa tên.`;
    case '28P01':
    case '28000':
      return `Lỗi: PostgreSQL không nhận người dùng/mật khẩu trong LOA_DATABASE_URL (${maskUrl(config.databaseUrl)}). Sửa lại thông tin đăng nhập.`;
    default:
      // Wrapped errors (a failed migration wraps the driver's error) are explained by their cause.
      return cause && depth < 5 ? explainSystemError(cause, depth + 1) : null;
  }
}
