import fs from 'node:fs';

import pino, { type Logger } from 'pino';

import { formatLocal } from '../src/domain/time';
import { connectionStateLog, createLogger, type StateLogger } from '../src/log';

export type LogLevel = 'info' | 'warn' | 'error';

/** Fields of one log line: the publication, attempt, outcome… (never a secret). */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** One line per state change, as data: a sentence for people and its fields. */
export type WorkerLog = (level: LogLevel, message: string, fields?: LogFields) => void;

function quoted(value: string | number | boolean): string {
  const text = String(value);
  return /[\s"=]/.test(text) ? JSON.stringify(text) : text;
}

/** Formats a line for a person (tests, the demo): Vietnam local time, level, sentence, then key=value fields. */
export function formatLine(level: LogLevel, message: string, fields: LogFields = {}, at = new Date()): string {
  const pairs = Object.entries(fields)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `${key}=${quoted(value as string | number | boolean)}`);
  return [
    formatLocal(at, 'dd/LL/yyyy HH:mm:ss'),
    level === 'info' ? '' : level === 'warn' ? 'CẢNH BÁO' : 'LỖI',
    message,
    ...pairs,
  ]
    .filter(Boolean)
    .join(' ');
}

let logger: Logger | undefined;

/**
 * The worker's log: pino JSON lines (src/log.ts) with Vietnam local time, the message in Vietnamese and the fields
 * as data, one logger for the process, created on first use.
 */
export const consoleLog: WorkerLog = (level, message, fields) => {
  logger ??= createLogger('loa-worker', { destination: gatheredStdout() });
  logger[level](fields ?? {}, message);
};

/** How long a log line may wait for others to be written with it. */
const GATHER_MS = 25;

/**
 * Standard output for the worker's log, written asynchronously, the lines of GATHER_MS written together: a
 * synchronous write per line cost the worker 4–8 % of its CPU in a burst, and an asynchronous write per line still
 * ~8 % of a portal publication's (the worker's CPU profiles in the README; one line per publication). What is left
 * is written when the process exits.
 */
function gatheredStdout(): pino.DestinationStream {
  const stdout = pino.destination({ dest: 1, sync: false });
  let lines = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (lines) stdout.write(lines);
    lines = '';
  };
  // At exit, synchronously: what the destination holds, then the lines gathered since (an asynchronous write now
  // would never happen).
  process.once('exit', () => {
    clearTimeout(timer);
    try {
      stdout.flushSync();
      if (lines) fs.writeSync(1, lines);
    } catch {
      // The process is ending and its output cannot take more (a closed pipe): nothing else can be done.
    }
  });
  return {
    write(line: string) {
      lines += line;
      timer ??= setTimeout(flush, GATHER_MS).unref();
    },
  };
}

/**
 * The worker's log into a file instead of stdout: the same JSON lines, for a process whose stdout is for a person
 * (`loa demo` prints only its steps and names this file).
 */
export function fileLog(file: string): WorkerLog {
  const logger = createLogger('loa-worker', { destination: pino.destination({ dest: file, mkdir: true, sync: true }) });
  return (level, message, fields) => logger[level](fields ?? {}, message);
}

/** Codes of a lost or refused connection: the client retries by itself, so these are a state, not an event each. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

export function isConnectionError(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return (
    (code !== undefined && CONNECTION_CODES.has(code)) ||
    /Connection is closed|connect E[A-Z]+|Stream isn't writeable/i.test(message ?? '')
  );
}

/**
 * Redis's state for the worker's log: one line when it is lost (however many clients and retries report it), one
 * when it is back. Other errors go to the log as they are.
 */
export function redisStateLog(log: WorkerLog): { up(): void; error(what: string, error: Error): void } {
  const adapted: StateLogger = {
    info: (fields, message) => log('info', message, fields as LogFields),
    warn: (fields, message) => log('warn', message, fields as LogFields),
  };
  const state = connectionStateLog(adapted, 'Redis');
  return {
    up: () => void state.up(),
    error(what, error) {
      if (isConnectionError(error)) state.down(error);
      else log('error', `${what}: ${error.message}`);
    },
  };
}
