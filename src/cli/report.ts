import type { Command } from 'commander';

import { wholeNumber } from './options';
import { actionsFrom } from './program';
import { FORMATS } from './report-formats';

const run = actionsFrom(() => require('./run/report') as typeof import('./run/report'));

export function register(program: Command): void {
  program
    .command('report')
    .description('báo cáo kỳ: đã đăng gì, ở đâu, của đơn vị nào, đối chiếu với kế hoạch (bảng, JSON, CSV, XLSX, DOCX)')
    .option('--period <kỳ>', 'kỳ báo cáo: 2026-Q1, 2026-H1, 2026 hoặc 2026-03')
    .option('--from <ngày>', 'hoặc từ ngày (giờ Việt Nam), ví dụ 01/01/2026')
    .option('--to <ngày>', 'đến hết ngày này')
    .option('--unit <đơn vị>', 'chỉ các kênh của đơn vị này')
    .option(
      '--plan <số>',
      'đối chiếu với kế hoạch này (lặp lại được); mặc định các kế hoạch của năm báo cáo',
      (v: string, all: number[] = []) => [...all, wholeNumber('--plan')(v)],
    )
    .option('--json', 'in dạng JSON (thời gian theo UTC)')
    .option('--format <dạng>', `ghi tệp: ${FORMATS.join(', ')}`)
    .option('--output <tệp>', 'tệp ghi ra (cùng --format)')
    .option('--issuer <tên>', 'DOCX: cơ quan ban hành (mặc định: đơn vị báo cáo)')
    .option('--parent <tên>', 'DOCX: cơ quan chủ quản')
    .option('--number <số>', 'DOCX: số, ký hiệu văn bản, ví dụ 15/BC-VP')
    .option('--place <địa danh>', 'DOCX: địa danh ở dòng ngày tháng')
    .option('--signer <họ tên>', 'DOCX: người ký')
    .option('--signer-title <chức vụ>', 'DOCX: chức vụ người ký')
    .action(run('report'));
}
