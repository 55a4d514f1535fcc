import fs from 'node:fs';
import path from 'node:path';

let sequence = 0;

/** A temporary name beside `file`, unique in this process and among processes, never ending in `.txt`. */
export function temporaryName(file: string): string {
  sequence += 1;
  return `${file}.${process.pid}-${sequence}.tmp`;
}

/** Writes `content` to `file` so that a reader never sees half of it: a crash leaves the old file or the new one. */
export function writeAtomically(file: string, content: string | Uint8Array): void {
  const temporary = writeTemporary(file, content);
  try {
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Writes `content` beside `file` under a temporary name nothing reads (see temporaryName) and returns that name: the
 * caller makes it visible with a rename once it may (a fenced step), or removes it.
 */
export function writeTemporary(file: string, content: string | Uint8Array): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = temporaryName(file);
  try {
    fs.writeFileSync(temporary, content);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  return temporary;
}
