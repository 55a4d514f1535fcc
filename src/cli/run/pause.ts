import { pauseAs, pauseStatusFor, resumeAs } from '../../actions/pause';
import { formatLocal } from '../../domain/time';
import { cliActor, config, withParts, withStore } from '../context';
import { pushToQueue } from './queue';

/** `loa pause` */
export async function pause(options: { unit?: string; reason?: string; status?: boolean; as?: string }): Promise<void> {
  await withStore(async (db) => {
    if (options.status) {
      const pauses = await pauseStatusFor(db.kysely, cliActor({ as: options.as ?? config.user ?? 'CLI' }));
      if (pauses.length === 0) return console.log('Không có tạm dừng nào; việc đăng bài chạy bình thường.');
      for (const p of pauses) {
        console.log(
          `Đang tạm dừng ${p.unitId ?? 'toàn tỉnh'} từ ${formatLocal(p.pausedAt)} (${p.pausedBy}): ${p.reason}`,
        );
        console.log(
          p.held.length
            ? `  Bài đến giờ đang chờ: ${p.held.join(', ')}`
            : '  Chưa có bài nào đến giờ trong lúc tạm dừng.',
        );
      }
      return;
    }
    const pause = await pauseAs(db.kysely, cliActor(options), options.unit, options.reason ?? '');
    console.log(
      `Đã tạm dừng đăng bài ${pause.unitId ?? 'toàn tỉnh'}: ${pause.reason}. Tiếp tục bằng: loa resume${pause.unitId ? ` --unit ${pause.unitId}` : ''}`,
    );
  });
}

/** `loa resume` */
export async function resume(options: { unit?: string; drop?: string; as?: string }): Promise<void> {
  const drop = (options.drop ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  await withParts(async (parts) => {
    const { db } = parts;
    const { pause, dropped } = await resumeAs(db.kysely, cliActor(options), options.unit, drop);
    console.log(
      `Đã tiếp tục đăng bài ${pause.unitId ?? 'toàn tỉnh'}.${dropped.length ? ` Đã bỏ: ${dropped.join(', ')}.` : ''}`,
    );
    await pushToQueue(parts);
  });
}
