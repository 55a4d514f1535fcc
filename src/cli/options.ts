import { type Config, readConfig } from '../config';
import { ValidationError } from '../domain/errors';

/*
 * What the command declarations need: loaded by `loa --help`, so it stays free of the store, the queues and the
 * channels (those load with a command's actions, from src/cli/run/).
 */

export const config: Config = readConfig();

export const AS_OPTION = ['--as <tên>', 'người thực hiện (mặc định: biến LOA_USER)'] as const;

/** Parses a positive whole number given on the command line, naming the option when it is not one. */
export function wholeNumber(field: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new ValidationError(field, `"${value}" không phải số nguyên dương`);
    return n;
  };
}
