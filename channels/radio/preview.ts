import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { temporaryName } from './atomic-file';
import type { PreviewNote } from './programme';

export interface PreviewOptions {
  voice: string;
  /** espeak-ng counts words; a Vietnamese word is a syllable, so this is the station's syllables a minute. */
  wordsPerMinute: number;
  /** Default 'espeak-ng' on the PATH. */
  command?: string;
  /** A hung synthesiser must not hold up publishing. Default 30 s. */
  timeoutMs?: number;
}

/** Whether `command` (espeak-ng) can be run: a path that exists, or a name found on the PATH. */
export function commandInstalled(command: string): boolean {
  if (command.includes('/')) return fs.existsSync(command);
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir !== '' && fs.existsSync(path.join(dir, command)));
}

/**
 * Writes a WAV preview of `text` to `file` with espeak-ng, atomically. Never throws: the preview is a help for the
 * editor, not part of the broadcast, so a missing or broken espeak-ng becomes a note in the programme instead of a
 * failed publication.
 */
export async function writePreview(text: string, file: string, options: PreviewOptions): Promise<PreviewNote> {
  const temporary = `${temporaryName(file)}.wav`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await run(
      options.command ?? 'espeak-ng',
      ['-v', options.voice, '-s', String(options.wordsPerMinute), '-w', temporary, '--stdin'],
      text,
      options.timeoutMs ?? 30_000,
    );
    if (!fs.existsSync(temporary) || fs.statSync(temporary).size === 0)
      return { kind: 'failed', reason: 'espeak-ng không ghi ra tệp âm thanh' };
    fs.renameSync(temporary, file);
    return { kind: 'written' };
  } catch (error) {
    const err = error as NodeJS.ErrnoException & { killed?: boolean; stderr?: string };
    if (err.code === 'ENOENT') return { kind: 'absent' };
    if (err.killed)
      return {
        kind: 'failed',
        reason: `espeak-ng chạy quá ${String((options.timeoutMs ?? 30_000) / 1000).replace('.', ',')} giây, đã dừng`,
      };
    const detail = (err.stderr || err.message || String(error)).trim().split('\n')[0]!.slice(0, 200);
    return { kind: 'failed', reason: detail };
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

function run(command: string, args: string[], input: string, timeout: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { timeout, maxBuffer: 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr }));
      else resolve();
    });
    // The process may die before reading everything (bad voice, no binary): that error is reported above.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
  });
}
