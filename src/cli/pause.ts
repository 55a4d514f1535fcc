import type { Command } from 'commander';
import { pauseAs, pauseStatusFor, resumeAs } from '../actions/pause';
import { formatLocal } from '../domain/time';
import { AS_OPTION, cliActor, withStore } from './context';
import { pushToQueue } from './queue';

export function register(program: Command): void {
  program
    .command('pause')
    .description('tạm dừng khẩn cấp mọi việc đăng bài (toàn tỉnh, hoặc một đơn vị với --unit), có lý do; các bài đến giờ sẽ chờ')
    .option('--unit <đơn vị>', 'chỉ tạm dừng đơn vị này')
    .option('--reason <lý do>', 'lý do, ví dụ "ngày quốc tang"')
    .option('--status', 'chỉ xem đang tạm dừng gì và các bài đang chờ')
    .option(...AS_OPTION)
    .action(async (options: { unit?: string; reason?: string; status?: boolean; as?: string }) => {
      await withStore(async (db) => {
        if (options.status) {
          const pauses = await pauseStatusFor(db.kysely, cliActor({ as: options.as ?? process.env.LOA_USER ?? 'CLI' }));
          if (pauses.length === 0) return console.log('Không có tạm dừng nào; việc đăng bài chạy bình thường.');
          for (const p of pauses) {
            console.log(`Đang tạm dừng ${p.unitId ?? 'toàn tỉnh'} từ ${formatLocal(p.pausedAt)} (${p.pausedBy}): ${p.reason}`);
            console.log(p.held.length ? `  Bài đến giờ đang chờ: ${p.held.join(', ')}` : '  Chưa có bài nào đến giờ trong lúc tạm dừng.');
          }
          return;
        }
        const pause = await pauseAs(db.kysely, cliActor(options), options.unit, options.reason ?? '');
        console.log(`Đã tạm dừng đăng bài ${pause.unitId ?? 'toàn tỉnh'}: ${pause.reason}. Tiếp tục bằng: loa resume${pause.unitId ? ` --unit ${pause.unitId}` : ''}`);
      });
    });

  program
    .command('resume')
    .description('tiếp tục đăng bài sau tạm dừng: các bài còn muốn đăng được đăng ngay, các bài ghi ở --drop bị bỏ')
    .option('--unit <đơn vị>', 'đơn vị đã tạm dừng (không ghi: toàn tỉnh)')
    .option('--drop <mã,...>', 'các bài đăng đến giờ trong lúc tạm dừng mà không muốn đăng nữa')
    .option(...AS_OPTION)
    .action(async (options: { unit?: string; drop?: string; as?: string }) => {
      const drop = (options.drop ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      await withStore(async (db) => {
        const { pause, dropped } = await resumeAs(db.kysely, cliActor(options), options.unit, drop);
        console.log(`Đã tiếp tục đăng bài ${pause.unitId ?? 'toàn tỉnh'}.${dropped.length ? ` Đã bỏ: ${dropped.join(', ')}.` : ''}`);
        await pushToQueue(db.kysely);
      });
    });
}
