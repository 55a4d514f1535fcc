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
 */
export function readDay(dayDir: string, syllablesPerMinute: number): ProgrammeEntry[] {
  const names = fs.existsSync(dayDir) ? fs.readdirSync(dayDir) : [];
  return names
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .map((name) => {
      const base = name.slice(0, -'.txt'.length);
      const sidecar = path.join(dayDir, `${base}.json`);
      try {
        const parsed = JSON.parse(fs.readFileSync(sidecar, 'utf8')) as Partial<Sidecar>;
        if (parsed.version === SIDECAR_VERSION && typeof parsed.text === 'string' && parsed.priority && parsed.priority in PRIORITIES) {
          return parsed as ProgrammeEntry;
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
      }
      return withoutSidecar(base, fs.readFileSync(path.join(dayDir, name), 'utf8'), syllablesPerMinute);
    });
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
