import type { Command } from 'commander';

import { AS_OPTION, wholeNumber } from './options';
import { actionsFrom } from './program';

const run = actionsFrom(() => require('./run/sources') as typeof import('./run/sources'));

export function register(program: Command): void {
  const sources = program.command('sources').description('nguồn tin RSS/Atom: tin mới thành bản nháp chờ duyệt');

  sources
    .command('list', { isDefault: true })
    .description('các nguồn tin và tình trạng lần đọc gần nhất')
    .option('--json', 'in dạng JSON')
    .action(run('sourcesList'));

  sources
    .command('add')
    .description('thêm một nguồn tin (RSS 2.0 hoặc Atom) cho một đơn vị')
    .argument('<URL>', 'địa chỉ nguồn tin, ví dụ chuyên mục cải cách hành chính của cổng thông tin')
    .requiredOption('--unit <đơn vị>', 'đơn vị nhận tin (mã hoặc tên, xem: loa units)')
    .option('--plan <số>', 'kế hoạch gắn tin vào (mặc định: kế hoạch mới nhất lúc đọc)', wholeNumber('--plan'))
    .option('--moi <phút>', 'đọc mỗi bao nhiêu phút', wholeNumber('--moi'))
    .option(
      '--de-xuat <lịch>',
      'đề xuất kênh và giờ đăng, cán bộ xác nhận mới áp dụng; ví dụ "radio +1d 07:00, zalo 18:00"',
    )
    .option(...AS_OPTION)
    .action(run('sourcesAdd'));

  sources
    .command('poll')
    .description('đọc ngay tất cả nguồn tin (hoặc các nguồn được nêu) một lần')
    .argument('[số...]', 'số của các nguồn (mặc định: tất cả)')
    .action(run('sourcesPoll'));

  sources
    .command('remove')
    .description('bỏ một nguồn tin (các bản nháp đã lấy vẫn giữ)')
    .argument('<số>', 'số của nguồn', wholeNumber('số'))
    .option(...AS_OPTION)
    .action(run('sourcesRemove'));

  sources
    .command('drafts')
    .description('bản nháp lấy từ nguồn tin: lĩnh vực và lịch đăng Loa đề xuất')
    .option('--source <số>', 'chỉ của một nguồn', wholeNumber('--source'))
    .option('--chua-xac-nhan', 'chỉ những bản nháp chưa xác nhận lĩnh vực')
    .option('--json', 'in dạng JSON')
    .action(run('sourcesDrafts'));

  sources
    .command('confirm')
    .description('xác nhận lĩnh vực (và lịch đăng đề xuất) của bản nháp từ nguồn tin; vẫn cần duyệt trước khi đăng')
    .argument('<số...>', 'số của các bản nháp (xem: loa sources drafts)')
    .option('--area <lĩnh vực>', 'đổi lĩnh vực thay vì nhận đề xuất, ví dụ thu-tuc-hanh-chinh')
    .option('--khong-lich', 'không nhận lịch đăng đề xuất')
    .option(...AS_OPTION)
    .action(run('sourcesConfirm'));
}
