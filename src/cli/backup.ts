import type { Command } from 'commander';

import { actionsFrom } from './program';

const run = actionsFrom(() => require('./run/backup') as typeof import('./run/backup'));

export function register(program: Command): void {
  program
    .command('backup')
    .description(
      'sao lưu cơ sở dữ liệu (một thời điểm nhất quán, kể cả khi đang đăng bài) và thư mục xuất vào một tệp; bí mật của kênh vẫn được mã hóa, khóa LOA_SECRET_KEY không nằm trong tệp',
    )
    .option('--output <tệp>', 'tệp sao lưu sẽ ghi (mặc định: LOA_BACKUP_DIR/loa-<thời điểm>.tar.gz)')
    .action(run('backup'));
  program
    .command('restore <tệp>')
    .description(
      'khôi phục một bản sao lưu vào cơ sở dữ liệu TRỐNG (SQLite hoặc PostgreSQL: cách chuyển từ SQLite sang PostgreSQL) và thư mục xuất trống',
    )
    .action(run('restore'));
  program
    .command('migrate')
    .description('cập nhật cấu trúc cơ sở dữ liệu lên phiên bản của Loa này, sau khi sao lưu')
    .option('--status', 'chỉ liệt kê các bản cập nhật cấu trúc đã áp dụng và còn chờ')
    .option(
      '--output <tệp>',
      'tệp sao lưu làm trước khi cập nhật (mặc định: LOA_BACKUP_DIR/loa-truoc-cap-nhat-<thời điểm>.tar.gz)',
    )
    .action(run('migrate'));
}
