import { Command, CommanderError, Help } from 'commander';

/** Commander prints its own headings and errors in English; officers read Vietnamese. */
const HEADINGS: Record<string, string> = {
  'Usage:': 'Cách dùng:',
  'Options:': 'Tùy chọn:',
  'Commands:': 'Lệnh:',
  'Arguments:': 'Đối số:',
  'Global Options:': 'Tùy chọn chung:',
};

const ERRORS: Array<[RegExp, (...m: string[]) => string]> = [
  [/unknown option '(.+?)'/, (o) => `tùy chọn không có: ${o} (xem --help)`],
  [/unknown command '(.+?)'/, (c) => `lệnh không có: ${c} (xem loa --help)`],
  [/missing required argument '(.+?)'/, (a) => `thiếu đối số bắt buộc: ${a}`],
  [/option '(.+?)' argument missing/, (o) => `tùy chọn ${o} cần một giá trị`],
  [/required option '(.+?)' not specified/, (o) => `thiếu tùy chọn bắt buộc: ${o}`],
  [/too many arguments(?: for '(.+?)')?/, (c) => `thừa đối số${c ? ` cho lệnh ${c}` : ''}`],
];

function translateCommanderError(text: string): string {
  for (const [pattern, say] of ERRORS) {
    const m = pattern.exec(text);
    if (m) return `Lỗi: ${say(...m.slice(1).map((s) => s ?? ''))}\n`;
  }
  return text.replace(/^error:/, 'Lỗi:');
}

function translateUsage(text: string): string {
  return text.replace('[options]', '[tùy chọn]').replace('[command]', '[lệnh]');
}

/** The "(default: …)" and "(choices: …)" commander appends to descriptions. */
function translateExtras(text: string): string {
  return text
    .replace(/\(default: /g, '(mặc định: ')
    .replace(/\(choices: /g, '(chọn một trong: ')
    .replace(/\(env: /g, '(biến môi trường: ');
}

/** A commander Command whose help and errors are in Vietnamese; every subcommand inherits it. */
export function vietnameseCommand(name: string): Command {
  const command = new Command(name);
  command
    .configureHelp({
      styleTitle: (title) => HEADINGS[title] ?? title,
      commandUsage: (cmd) => translateUsage(Help.prototype.commandUsage.call(new Help(), cmd)),
      subcommandTerm: (cmd) => translateUsage(Help.prototype.subcommandTerm.call(new Help(), cmd)),
      optionDescription: (option) => translateExtras(Help.prototype.optionDescription.call(new Help(), option)),
      argumentDescription: (argument) => translateExtras(Help.prototype.argumentDescription.call(new Help(), argument)),
    })
    .configureOutput({ outputError: (text, write) => write(translateCommanderError(text)) })
    .helpOption('-h, --help', 'hiện trợ giúp')
    .helpCommand('help [lệnh]', 'hiện trợ giúp của một lệnh')
    .showHelpAfterError('(gõ --help để xem cách dùng)')
    .exitOverride();
  return command;
}

/**
 * The actions of one command file, from its module in src/cli/run/, loaded only when one of them runs: `loa --help`
 * and every declaration load commander and the declarations alone. Usage, in src/cli/<command>.ts:
 *   const run = actionsFrom(() => require('./run/<command>') as typeof import('./run/<command>'));
 *   program.command('…').option(…).action(run('handlerName'));
 * `require`, not `import()`: one module system, so classes (the errors explainError knows) stay the same classes.
 */
export function actionsFrom<M>(load: () => M) {
  return (name: keyof M & string) =>
    (...args: unknown[]): Promise<void> =>
      (load()[name] as unknown as (...args: unknown[]) => Promise<void>)(...args);
}

export function isCommanderExit(error: unknown): error is CommanderError {
  return error instanceof CommanderError;
}
