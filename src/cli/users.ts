import type { Command } from 'commander';

import { AS_OPTION } from './options';
import { actionsFrom } from './program';

const run = actionsFrom(() => require('./run/users') as typeof import('./run/users'));

export function register(program: Command): void {
  const users = program
    .command('users')
    .description('tài khoản: cán bộ, lãnh đạo duyệt bài, quản trị; mỗi người thuộc một đơn vị');

  users
    .command('list', { isDefault: true })
    .description('liệt kê tài khoản')
    .option('--json', 'in dạng JSON')
    .action(run('usersList'));

  users
    .command('add')
    .description('thêm tài khoản; mật khẩu được hỏi (hoặc đọc một dòng từ đầu vào chuẩn)')
    .argument('<tên>', 'tên đăng nhập, ví dụ "Nguyễn Văn A"')
    .option('--unit <đơn vị>', 'đơn vị của người này (mã hoặc tên)')
    .option('--role <vai trò>', 'officer (cán bộ), supervisor (lãnh đạo duyệt bài) hoặc admin (quản trị)', 'officer')
    .option('--admin', 'tài khoản quản trị toàn tỉnh (như --role admin)')
    .option(...AS_OPTION)
    .action(run('usersAdd'));

  users
    .command('passwd')
    .description('đặt mật khẩu mới cho một tài khoản')
    .argument('<tên>', 'tên đăng nhập')
    .option(...AS_OPTION)
    .action(run('usersPasswd'));

  users
    .command('disable')
    .description('khóa một tài khoản: phiên đăng nhập và mã truy cập của người đó hết hiệu lực ngay')
    .argument('<tên>', 'tên đăng nhập')
    .option(...AS_OPTION)
    .action(run('usersDisable'));

  users
    .command('token')
    .description('tạo mã truy cập API (Authorization: Bearer …) cho một tài khoản; mã chỉ hiện một lần')
    .argument('<tên>', 'tên đăng nhập')
    .option('--label <nhãn>', 'để nhớ mã dùng ở đâu', 'CLI')
    .option(...AS_OPTION)
    .action(run('usersToken'));

  users
    .command('revoke-token')
    .description('thu hồi một mã truy cập API')
    .argument('<tên>', 'tên đăng nhập của chủ mã')
    .argument('<số>', 'số của mã')
    .option(...AS_OPTION)
    .action(run('usersRevokeToken'));
}
