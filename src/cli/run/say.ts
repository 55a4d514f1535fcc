import { createInterface } from 'node:readline';

import { ValidationError } from '../../domain/errors';
import { forDisplay } from '../../domain/text';
import type { AbbreviationDictionary } from '../../speech';
import { type Dialect, normalise } from '../../speech';
import { AbbreviationFileError, loadAbbreviations } from '../../speech/dictionary';

const DIALECTS: Record<string, Dialect> = { bac: 'north', nam: 'south' };

interface SayOptions {
  phuongNgu?: string;
  canhBao?: boolean;
  tuDien?: string;
}

/** The dictionary --tu-dien names; a wrong path or a broken line is one sentence naming the option, the file and the line. */
function dictionaryFrom(file: string | undefined): AbbreviationDictionary {
  try {
    return loadAbbreviations(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (error instanceof AbbreviationFileError)
      throw new ValidationError('--tu-dien', `${error.message}; sửa dòng đó (chữ viết tắt, TAB, tên đầy đủ)`);
    if (code === 'ENOENT')
      throw new ValidationError('--tu-dien', `không có tệp "${file}"; kiểm tra lại đường dẫn tới tệp từ điển .tsv`);
    if (code === 'EISDIR')
      throw new ValidationError('--tu-dien', `"${file}" là một thư mục; hãy chỉ ra tệp từ điển .tsv`);
    if (code === 'EACCES') throw new ValidationError('--tu-dien', `không có quyền đọc "${file}"`);
    throw error;
  }
}

/** `loa say`: each line on standard input → one line, as it should be read aloud. */
/** `loa say` */
export async function say(options: SayOptions): Promise<void> {
  const dialect = DIALECTS[options.phuongNgu ?? 'bac'];
  if (!dialect) {
    process.stderr.write(`Lỗi: --phuong-ngu phải là bac hoặc nam, không phải "${options.phuongNgu}"\n`);
    process.exitCode = 2;
    return;
  }
  const abbreviations = dictionaryFrom(options.tuDien);
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    // Control characters (ESC would drive the terminal, NUL cuts C strings) and bidi controls (U+202E reverses what
    // is shown) are never read aloud: they are dropped before reading and again from what is written.
    const clean = forDisplay(line);
    const { text, warnings } = normalise(clean, { dialect, abbreviations });
    if (clean !== line) warnings.unshift('đã bỏ ký tự điều khiển hoặc ký tự đảo chiều chữ (không đọc được)');
    // A line that would break the one-line-out rule (a stray newline) is folded back into one line.
    if (!process.stdout.write(`${forDisplay(text.replace(/\r?\n/g, ' '))}\n`)) {
      await new Promise((resolve) => process.stdout.once('drain', resolve));
    }
    if (options.canhBao) for (const warning of warnings) process.stderr.write(`dòng ${lineNumber}: ${warning}\n`);
  }
}
