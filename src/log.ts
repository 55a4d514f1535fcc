import pino, { type Logger } from 'pino';

import { formatLocal } from './domain/time';

/**
 * One structured logger for the long-running processes (server, worker): JSON lines with fields (publication,
 * channel, attempt, outcome), messages in Vietnamese, and the time in Vietnam's zone where people read it.
 */
export function createLogger(
  name: string,
  options: { level?: string; destination?: pino.DestinationStream } = {},
): Logger {
  return pino(
    {
      name,
      level: options.level ?? process.env.LOA_LOG_LEVEL ?? 'info',
      base: { pid: process.pid },
      timestamp: () => `,"time":"${formatLocal(new Date(), "yyyy-LL-dd'T'HH:mm:ss.SSSZZ")}"`,
      formatters: { level: (label) => ({ level: label }) },
      // Secrets never reach a log line, whatever a caller passes.
      redact: {
        paths: [
          '*.password',
          '*.token',
          '*.accessToken',
          '*.secret',
          'req.headers.authorization',
          'req.headers.cookie',
        ],
        censor: '***',
      },
    },
    options.destination,
  );
}

/** What connectionStateLog writes to: a pino logger, or the worker's log adapted (see worker/log.ts). */
export interface StateLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/**
 * A connection's state as log lines: one line when it changes (lost, back), never one per failed retry.
 * Each returns true when it wrote a line.
 */
export function connectionStateLog(
  logger: StateLogger,
  what: string,
): { up(): boolean; down(error: unknown): boolean } {
  let state: 'unknown' | 'up' | 'down' = 'unknown';
  return {
    up() {
      const wasDown = state === 'down';
      state = 'up';
      if (wasDown) logger.info({ connection: what, state: 'up' }, `${what}: đã kết nối lại`);
      return wasDown;
    },
    down(error) {
      if (state === 'down') return false;
      state = 'down';
      logger.warn(
        { connection: what, state: 'down', code: (error as { code?: string })?.code },
        `${what}: mất kết nối, đang thử lại`,
      );
      return true;
    },
  };
}
