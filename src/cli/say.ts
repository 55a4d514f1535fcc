import type { Command } from 'commander';

import { actionsFrom } from './program';

const run = actionsFrom(() => require('./run/say') as typeof import('./run/say'));

export function register(program: Command): void {
  program
    .command('say')
    .description(
      'đọc văn bản từ đầu vào chuẩn, in ra cách đọc thành lời cho đài truyền thanh (mỗi dòng vào một dòng ra)',
    )
    .option('--phuong-ngu <bac|nam>', 'phương ngữ: bac (linh, nghìn, mồng; mặc định) hoặc nam (lẻ, ngàn, mùng)')
    .option('--canh-bao', 'in cảnh báo (những chỗ chưa đọc được) ra stderr, kèm số dòng')
    .option('--tu-dien <tệp>', 'tệp từ điển viết tắt (mặc định templates/abbreviations.tsv)')
    .action(run('say'));
}
