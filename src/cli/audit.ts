import type { Command } from 'commander';
import { readAuditFor } from '../actions/plans';
import { formatLocal, parseLocal } from '../domain/time';
import { cliActor, printJson, withStore } from './context';
import { formatTable } from './table';

export function register(program: Command): void {
  program
    .command('audit')
    .description('nhật ký thao tác: ai làm gì, lúc nào, từ đâu (CLI, mã API, trình duyệt); chỉ ghi thêm, không xóa')
    .option('--unit <đơn vị>', 'chỉ của đơn vị này (và các thao tác toàn tỉnh)')
    .option('--action <việc>', 'chỉ việc này, ví dụ item.approve, publishing.pause')
    .option('--from <ngày>', 'từ thời điểm (giờ Việt Nam)')
    .option('--to <ngày>', 'đến trước thời điểm (giờ Việt Nam)')
    .option('--json', 'in dạng JSON (thời gian theo UTC)')
    .action(async (options: { unit?: string; action?: string; from?: string; to?: string; json?: boolean }) => {
      const entries = await withStore((db) =>
        readAuditFor(db.kysely, cliActor({ as: process.env.LOA_USER || 'CLI' }), {
          unitId: options.unit,
          action: options.action,
          from: options.from ? parseLocal(options.from, '--from') : undefined,
          to: options.to ? parseLocal(options.to, '--to') : undefined,
        }),
      );
      if (options.json) return printJson(entries);
      if (entries.length === 0) return console.log('Nhật ký thao tác trống với bộ lọc này.');
      console.log(
        formatTable(
          entries.map((e) => ({ ...e, when: formatLocal(e.at, 'dd/MM/yyyy HH:mm:ss'), unit: e.unitId ?? '(toàn tỉnh)', detailText: e.detail ? JSON.stringify(e.detail) : '' })),
          [['when', 'Lúc'], ['actor', 'Người', 24], ['source', 'Từ'], ['action', 'Việc'], ['subject', 'Đối tượng', 30], ['unit', 'Đơn vị', 24], ['detailText', 'Chi tiết', 50]],
        ),
      );
    });
}
