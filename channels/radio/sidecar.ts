import fs from 'node:fs';
import path from 'node:path';

import { PRIORITIES, type Priority } from '../../src/domain/content-item';
import { countSyllables } from './breath';
import type { PreviewNote, ProgrammeEntry } from './programme';
import { readingSeconds } from './script';

/**
 * Each script <HHmm>-<publication>.txt has a sidecar <HHmm>-<publication>.json with what the day's programme needs
 * (title, priority, timing, warnings, preview outcome), so the programme is rebuilt from files alone, the same
 * way every time, without the database.
 */
export const SIDECAR_VERSION = 1;

interface Sidecar extends ProgrammeEntry {
  version: number;
}

export function sidecarJson(entry: ProgrammeEntry): string {
  const sidecar: Sidecar = { version: SIDECAR_VERSION, ...entry };
  return `${JSON.stringify(sidecar, null, 2)}\n`;
}

/**
 * Reads every script of a day folder. A script without a readable sidecar (written before sidecars existed, or
 * by hand) still goes on air: it is timed from its own text, read as thông thường, and the programme says so.
 *
 * `known`: the sidecars of this folder read before, by script name, kept by the caller between rebuilds of the day.
 * A sidecar is written whole by a rename, so a new write is a new file (inode): one whose inode and time are the ones
 * read before is not read and parsed again, and the day's 300th script costs one sidecar read, not 300. Names no
 * longer in the folder are dropped from `known`.
 */
export function readDay(
  dayDir: string,
  syllablesPerMinute: number,
  known?: Map<string, KnownSidecar>,
): ProgrammeEntry[] {
  const names = fs.existsSync(dayDir) ? fs.readdirSync(dayDir) : [];
  const scripts = names.filter((name) => name.endsWith('.txt')).sort();
  if (known) {
    const present = new Set(scripts);
    for (const name of known.keys()) if (!present.has(name)) known.delete(name);
  }
  return scripts.map((name) => {
    const base = name.slice(0, -'.txt'.length);
    const sidecar = path.join(dayDir, `${base}.json`);
    try {
      const stat = known ? fs.statSync(sidecar) : undefined;
      const kept = stat && known!.get(name);
      if (kept && kept.ino === stat.ino && kept.mtimeMs === stat.mtimeMs) return kept.entry;
      const parsed = JSON.parse(fs.readFileSync(sidecar, 'utf8')) as Partial<Sidecar>;
      if (
        parsed.version === SIDECAR_VERSION &&
        typeof parsed.text === 'string' &&
        parsed.priority &&
        parsed.priority in PRIORITIES
      ) {
        if (stat) known!.set(name, { ino: stat.ino, mtimeMs: stat.mtimeMs, entry: parsed as ProgrammeEntry });
        return parsed as ProgrammeEntry;
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
    }
    return withoutSidecar(base, fs.readFileSync(path.join(dayDir, name), 'utf8'), syllablesPerMinute);
  });
}

/** A sidecar as read, with the file it was read from. */
export interface KnownSidecar {
  ino: number;
  mtimeMs: number;
  entry: ProgrammeEntry;
}

function withoutSidecar(base: string, text: string, syllablesPerMinute: number): ProgrammeEntry {
  const match = /^(\d\d)(\d\d)-(.+)$/.exec(base);
  const syllables = countSyllables(text);
  const priority: Priority = 'thong-thuong';
  return {
    publicationId: match?.[3] ?? base,
    time: match ? `${match[1]}:${match[2]}` : '00:00',
    title: base,
    priority,
    text: text.trim(),
    syllables,
    seconds: readingSeconds(syllables, syllablesPerMinute),
    warnings: ['không có tệp thông tin .json đi kèm: xếp như bài thông thường, văn bản đọc nguyên như tệp'],
    preview: { kind: 'off' } as PreviewNote,
  };
}
