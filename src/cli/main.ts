import type { Command } from 'commander';
import { register as registerApprove } from './approve';
import { register as registerCalendar } from './calendar';
import { register as registerChannels } from './channels';
import { explainError } from './context';
import { register as registerDemo } from './demo';
import { register as registerDoctor } from './doctor';
import { register as registerImport } from './import';
import { register as registerItems } from './items';
import { register as registerLog } from './log';
import { register as registerQueue } from './queue';
import { register as registerReschedule } from './reschedule';
import { register as registerServe } from './serve';
import { register as registerWorker } from './worker';
import { isCommanderExit, vietnameseCommand } from './program';
import { register as registerSay } from './say';
import { register as registerUsers } from './users';
import { register as registerAudit } from './audit';
import { register as registerPause } from './pause';

/** Each command lives in its own file and exports one `register(program)`; add new ones here. */
const commands: Array<(program: Command) => void> = [
  registerImport,
  registerCalendar,
  registerSay,
  registerItems,
  registerChannels,
  registerApprove,
  registerQueue,
  registerWorker,
  registerServe,
  registerReschedule,
  registerLog,
  registerDoctor,
  registerDemo,
  registerUsers,
  registerAudit,
  registerPause,
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
    const explained = explainError(error);
    if (!explained) throw error;
    console.error(explained);
    return 1;
  }
}
