import type { Command } from 'commander';
import { isCommanderExit, vietnameseCommand } from './program';

/** Each command lives in its own file and exports one `register(program)`; add new ones here. */
const commands: Array<(program: Command) => void> = [
];

export async function main(argv: string[]): Promise<number> {
  const program = vietnameseCommand('loa')
    .description('Loa: đăng nội dung tuyên truyền cải cách hành chính lên cổng thông tin, Zalo OA, Facebook và đài truyền thanh xã')
    .version(require('../../package.json').version, '-V, --version', 'hiện phiên bản');
  for (const register of commands) register(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (isCommanderExit(error)) return error.exitCode;
    throw error;
  }
}
