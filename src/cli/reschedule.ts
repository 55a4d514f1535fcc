import type { Command } from 'commander';

import { actionsFrom } from './program';

const run = actionsFrom(() => require('./run/reschedule') as typeof import('./run/reschedule'));

export function register(program: Command): void {
  program
    .command('reschedule')
    .description('dựng lại hàng đợi từ cơ sở dữ liệu (sau khi Redis bị xóa hoặc thay); chạy nhiều lần không sao')
    .action(run('reschedule'));
}
