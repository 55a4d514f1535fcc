import { formatLocal } from '../src/domain/time';

export type LogLevel = 'info' | 'warn' | 'error';

/** Fields of one log line: the publication, attempt, outcome… (never a secret). */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** One line per state change, as data: a sentence for people and its fields. */
export type WorkerLog = (level: LogLevel, message: string, fields?: LogFields) => void;

function quoted(value: string | number | boolean): string {
  const text = String(value);
  return /[\s"=]/.test(text) ? JSON.stringify(text) : text;
}

/** Formats a line: Vietnam local time, level, sentence, then key=value fields. */
export function formatLine(level: LogLevel, message: string, fields: LogFields = {}, at = new Date()): string {
  const pairs = Object.entries(fields)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `${key}=${quoted(value as string | number | boolean)}`);
  return [formatLocal(at, 'dd/LL/yyyy HH:mm:ss'), level === 'info' ? '' : level === 'warn' ? 'CẢNH BÁO' : 'LỖI', message, ...pairs].filter(Boolean).join(' ');
}

/** The worker's log on stdout (info) and stderr (warnings, errors). */
export const consoleLog: WorkerLog = (level, message, fields) => {
  const line = formatLine(level, message, fields);
  if (level === 'info') console.log(line);
  else console.error(line);
};
