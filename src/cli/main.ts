import type { Command } from 'commander';

import { LOA_VERSION } from '../config';
import { register as registerApprove } from './approve';
import { register as registerAudit } from './audit';
import { register as registerBackup } from './backup';
import { register as registerCalendar } from './calendar';
import { register as registerChannels } from './channels';
import { register as registerDemo } from './demo';
import { register as registerDoctor } from './doctor';
import { register as registerImport } from './import';
import { register as registerItems } from './items';
import { register as registerLog } from './log';
import { register as registerPause } from './pause';
import { isCommanderExit, vietnameseCommand } from './program';
import { register as registerQueue } from './queue';
import { register as registerReport } from './report';
import { register as registerReschedule } from './reschedule';
import { register as registerSay } from './say';
import { register as registerServe } from './serve';
import { register as registerSources } from './sources';
import { register as registerUsers } from './users';
import { register as registerWorker } from './worker';

/**
 * Each command lives in its own file and exports one `register(program)` that declares it; its actions live in
 * src/cli/run/ and load only when it runs (see actionsFrom). Add new ones here.
 */
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
  registerReport,
  registerDoctor,
  registerDemo,
  registerSources,
  registerUsers,
  registerAudit,
  registerPause,
  registerBackup,
];

export async function main(argv: string[]): Promise<number> {
  const program = vietnameseCommand('loa')
    .description(
      'Loa: đăng nội dung tuyên truyền cải cách hành chính lên cổng thông tin, Zalo OA, Facebook và đài truyền thanh xã',
    )
    .version(LOA_VERSION, '-V, --version', 'hiện phiên bản');
  for (const register of commands) register(program);
  program.option('--debug', 'in chi tiết kỹ thuật (stack trace) khi có lỗi');
  // --debug may stand anywhere on the line; it is read here so that every command's errors obey it.
  const debug = argv.includes('--debug') || process.env.LOA_DEBUG === '1';
  try {
    await program.parseAsync(argv.filter((arg, i) => i < 2 || arg !== '--debug'));
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (isCommanderExit(error)) return error.exitCode;
    if (debug) console.error(error);
    // Loaded only here: explaining an error needs the store's and the channels' error classes.
    const { explainError } = require('./context') as typeof import('./context');
    const explained = explainError(error);
    console.error(
      explained ??
        `Lỗi không lường trước: ${(error as Error)?.message ?? String(error)}. Chạy lại với --debug để xem chi tiết, hoặc "loa doctor" để kiểm tra cài đặt.`,
    );
    return 1;
  }
}
