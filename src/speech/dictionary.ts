import { readFileSync } from 'node:fs';
import path from 'node:path';

import { PROJECT_ROOT } from '../config';
import type { AbbreviationDictionary, AbbreviationEntry } from './types';

export const DEFAULT_ABBREVIATIONS_PATH = path.join(PROJECT_ROOT, 'templates/abbreviations.tsv');

export class AbbreviationFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file}, dòng ${line}: ${reason}`);
    this.name = 'AbbreviationFileError';
  }
}

/**
 * Parses the dictionary: one abbreviation per line, TAB, its full name, and optionally TAB and how to say
 * the short form itself. Blank lines and lines starting with "#" are ignored.
 */
export function parseAbbreviations(content: string, file: string): AbbreviationDictionary {
  const dictionary = new Map<string, AbbreviationEntry>();
  content
    .normalize('NFC')
    .split(/\r?\n/)
    .forEach((raw, index) => {
      const line = index + 1;
      if (raw.trim() === '' || raw.startsWith('#')) return;
      const fields = raw.split('\t').map((field) => field.trim());
      const [abbreviation = '', full = '', short] = fields;
      if (fields.length < 2 || fields.length > 3) {
        throw new AbbreviationFileError(
          file,
          line,
          `cần 2 hoặc 3 cột cách nhau bằng TAB (chữ viết tắt, tên đầy đủ, cách đọc tắt), có ${fields.length}`,
        );
      }
      if (abbreviation === '' || full === '')
        throw new AbbreviationFileError(file, line, 'chữ viết tắt và tên đầy đủ không được để trống');
      if (dictionary.has(abbreviation))
        throw new AbbreviationFileError(file, line, `"${abbreviation}" đã có ở dòng trước`);
      dictionary.set(abbreviation, short ? { full, short } : { full });
    });
  return dictionary;
}

/** Reads templates/abbreviations.tsv (or another file in the same format). */
export function loadAbbreviations(file: string = DEFAULT_ABBREVIATIONS_PATH): AbbreviationDictionary {
  return parseAbbreviations(readFileSync(file, 'utf8'), file);
}
