import type { Command } from 'commander';

import { DEMO_DATABASE, DEMO_EXPORT_DIR } from './demo-places';
import { actionsFrom } from './program';

const run = actionsFrom(() => require('./run/demo') as typeof import('./run/demo'));

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'chạy thử trọn vòng: nhập kế hoạch thật, viết và duyệt nội dung, xếp lịch trên RSS và đài truyền thanh, đăng, in nhật ký',
    )
    .option('--facebook-fake', 'đăng cả lên một Trang Facebook giả chạy trên máy này (không cần Trang thật)')
    .option('--zalo-fake', 'đăng cả lên một Zalo OA giả chạy trên máy này (cần LOA_SECRET_KEY để lưu cặp mã)')
    .option(
      '--database <địa chỉ>',
      `cơ sở dữ liệu của demo (mặc định ${DEMO_DATABASE}; không bao giờ dùng LOA_DATABASE_URL nếu không chỉ rõ ở đây)`,
    )
    .option('--export-dir <thư mục>', `thư mục kịch bản và nguồn tin của demo (mặc định ${DEMO_EXPORT_DIR})`)
    .action(run('demo'));
}
