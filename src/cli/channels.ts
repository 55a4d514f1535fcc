import type { Command } from 'commander';

import { AS_OPTION } from './options';
import { actionsFrom } from './program';

const platformNames = () => (require('../../channels') as typeof import('../../channels')).PLATFORMS.names;
const run = actionsFrom(() => require('./run/channels') as typeof import('./run/channels'));

export function register(program: Command): void {
  const units = program.command('units').description('các đơn vị (sở, ngành, xã) dùng Loa');
  units
    .command('list', { isDefault: true })
    .description('liệt kê đơn vị đang hoạt động, với cấp (sở, ngành / xã / phường)')
    .option('--tat-ca', 'cả đơn vị đã sáp nhập hoặc ngừng hoạt động')
    .option('--json', 'in dạng JSON')
    .action(run('unitsList'));
  units
    .command('add')
    .description('thêm một đơn vị')
    .argument('<tên>', 'tên đơn vị, ví dụ "UBND xã Tân Lập"')
    .option('--id <mã>', 'mã đơn vị (mặc định: từ tên)')
    .option(...AS_OPTION)
    .action(run('unitsAdd'));

  units
    .command('rename')
    .description('đổi tên một đơn vị; mã, kênh, tài khoản và bài viết giữ nguyên, tên cũ còn trong lịch sử')
    .argument('<đơn vị>', 'mã hoặc tên đơn vị')
    .argument('<tên mới>', 'tên mới, ví dụ "UBND xã Tân Lập"')
    .option(...AS_OPTION)
    .action(run('unitsRename'));
  units
    .command('merge')
    .description('sáp nhập các đơn vị vào một đơn vị: kênh, tài khoản, bài viết chuyển sang; lịch sử giữ nguyên')
    .argument('<đơn vị...>', 'mã hoặc tên các đơn vị bị sáp nhập')
    .requiredOption('--into <đơn vị>', 'đơn vị nhận (mã hoặc tên; thêm trước bằng loa units add nếu là đơn vị mới)')
    .option(...AS_OPTION)
    .action(run('unitsMerge'));
  units
    .command('retire')
    .description('cho một đơn vị ngừng hoạt động: kênh tạm dừng, tài khoản bị khóa, không xóa gì')
    .argument('<đơn vị>', 'mã hoặc tên đơn vị')
    .option(...AS_OPTION)
    .action(run('unitsRetire'));
  units
    .command('history')
    .description('lịch sử đổi tên, sáp nhập, ngừng hoạt động của các đơn vị')
    .argument('[đơn vị]', 'mã hoặc tên đơn vị (mặc định: tất cả)')
    .option('--json', 'in dạng JSON')
    .action(run('unitsHistory'));

  const channels = program
    .command('channels')
    .description('các kênh đăng: cổng thông tin, đài truyền thanh, trang Facebook, Zalo OA của từng đơn vị');
  channels
    .command('list', { isDefault: true })
    .description('liệt kê kênh')
    .option('--json', 'in dạng JSON')
    .action(run('channelsList'));
  channels
    .command('add')
    .description('thêm hoặc sửa một kênh của một đơn vị (token: dùng --secret-stdin, không bao giờ ghi trên dòng lệnh)')
    .requiredOption('--unit <đơn vị>', 'đơn vị sở hữu kênh (mã hoặc tên)')
    .requiredOption('--platform <nền tảng>', 'nền tảng của kênh (danh sách ở cuối)')
    .requiredOption('--name <tên>', 'tên kênh, ví dụ "Đài truyền thanh xã Tân Lập"')
    .option('--id <mã>', 'mã kênh (mặc định: từ tên)')
    .option('--sua', 'sửa kênh đã có (cùng mã); không có cờ này thì mã đã dùng bị từ chối')
    .option('--settings <json>', 'cài đặt của kênh, ví dụ đài: {"dialect":"south","syllablesPerMinute":180}', '{}')
    .option('--secret-stdin', 'đọc bí mật của kênh (token) từ đầu vào chuẩn; được lưu mã hóa bằng LOA_SECRET_KEY')
    .option(...AS_OPTION)
    // The registry (channels/) is loaded only when this help is shown: `loa --help` stays light.
    .addHelpText('after', () => `\nNền tảng: ${platformNames().join(', ')}`)
    .action(run('channelsAdd'));
  channels
    .command('edit')
    .description('sửa tên, cài đặt hoặc bí mật (token) của một kênh; nhập token mới cũng chạy lại kênh đang tạm dừng')
    .argument('<mã>', 'mã kênh (xem: loa channels)')
    .option('--name <tên>', 'tên mới')
    .option('--settings <json>', 'cài đặt mới (thay toàn bộ cài đặt cũ)')
    .option('--secret-stdin', 'đọc bí mật mới (token) từ đầu vào chuẩn; được lưu mã hóa bằng LOA_SECRET_KEY')
    .option(...AS_OPTION)
    .action(run('channelsEdit'));
  channels
    .command('connect')
    .description(
      'kết nối kênh qua trang đồng ý của nền tảng (đăng nhập Facebook, cấp quyền Zalo OA): in địa chỉ để mở trong trình duyệt ở bất kỳ máy nào, rồi dán lại địa chỉ trình duyệt được chuyển về (hoặc mã code)',
    )
    .argument('<mã>', 'mã kênh (xem: loa channels)')
    .option(...AS_OPTION)
    .action(run('channelsConnect'));
  channels
    .command('pause')
    .description('tạm dừng một kênh: các bài đến hạn sẽ chờ, không đăng và không bị tính thất bại')
    .argument('<mã>', 'mã kênh')
    .requiredOption('--ly-do <lý do>', 'lý do tạm dừng, hiện trong loa log và loa doctor')
    .option(...AS_OPTION)
    .action(run('channelsPause'));
  channels
    .command('resume')
    .description('chạy lại một kênh đang tạm dừng: các bài đang chờ được đăng tiếp')
    .argument('<mã>', 'mã kênh')
    .option(...AS_OPTION)
    .action(run('channelsResume'));
}
