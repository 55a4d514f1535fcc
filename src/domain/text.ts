import { ValidationError } from './errors';

/** Vietnamese arrives in NFC, NFD or a mix (copied from PDFs, Word, web pages); Loa stores and compares NFC only. */
export function nfc(text: string): string {
  return text.normalize('NFC');
}

/** "Sở Lao động - Thương binh" → "so-lao-dong-thuong-binh": ASCII keys for units and stations. */
export function slugify(text: string): string {
  return nfc(text)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Characters no officer means to type and no reader can show: C0 controls except tab and newline (and carriage
 * return, which line endings bring), DEL and the C1 controls, lone surrogates, and the Unicode non-characters
 * (U+FDD0–U+FDEF and the last two code points of every plane). Any of them makes an RSS feed invalid XML.
 */
const PLANE_ENDS = Array.from(
  { length: 17 },
  (_, plane) => `\\u{${(plane * 0x10000 + 0xfffe).toString(16)}}\\u{${(plane * 0x10000 + 0xffff).toString(16)}}`,
).join('');
const FORBIDDEN_SOURCE = `[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF${PLANE_ENDS}]|\\p{Cs}`;
const FORBIDDEN = new RegExp(FORBIDDEN_SOURCE, 'u');
const FORBIDDEN_ALL = new RegExp(FORBIDDEN_SOURCE, 'gu');

/** Bidi embeddings, overrides and isolates: they can make shown text read in another order than it was typed. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/gu;

/** "U+0007": how a character is named in messages. */
export function codePointName(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first forbidden character and where it is (1-based, in characters), or null when the text is clean. */
export function findForbiddenCharacter(text: string): { char: string; position: number } | null {
  const match = FORBIDDEN.exec(text);
  return match ? { char: match[0], position: [...text.slice(0, match.index)].length + 1 } : null;
}

/** A sentence for a person: which character, where, and what to do. */
export function forbiddenCharacterReason(found: { char: string; position: number }): string {
  return `có ký tự điều khiển hoặc không phải chữ (${codePointName(found.char)}) ở vị trí ${found.position}; hãy xoá ký tự đó rồi nhập lại`;
}

/** Removes forbidden characters: for documents read as a whole and for anything written out (feeds, pages). */
export function stripForbidden(text: string): string {
  return text.replace(FORBIDDEN_ALL, '');
}

/** Text as it is shown to people: forbidden characters and bidi controls removed. */
export function forDisplay(text: string): string {
  return stripForbidden(text).replace(BIDI_CONTROLS, '');
}

/** The first bidi control and where it is (1-based), or null. */
export function findBidiControl(text: string): { char: string; position: number } | null {
  const match = new RegExp(BIDI_CONTROLS.source, 'u').exec(text);
  return match ? { char: match[0], position: [...text.slice(0, match.index)].length + 1 } : null;
}

/**
 * The one check of the short texts a person types and others read (names of accounts, units and channels, token
 * labels, reasons given for a refusal or a withdrawal): NFC, trimmed, not empty, at most `max` characters, no control
 * character and no bidi control (an account shown as "admin\u202e" reads as another). Returns the clean text.
 */
export function checkTypedText(field: string, raw: string, max: number, empty = 'không được để trống'): string {
  // Checked before trimming: trim() would silently drop a trailing U+000B, U+000C or U+0085.
  const forbidden = findForbiddenCharacter(raw);
  if (forbidden) throw new ValidationError(field, forbiddenCharacterReason(forbidden));
  const bidi = findBidiControl(raw);
  if (bidi)
    throw new ValidationError(
      field,
      `có ký tự đảo chiều chữ (${codePointName(bidi.char)}) ở vị trí ${bidi.position}: nó làm chữ hiện ra khác với chữ đã gõ; hãy xoá ký tự đó rồi nhập lại`,
    );
  const text = nfc(raw).trim();
  if (!text) throw new ValidationError(field, empty);
  if ([...text].length > max) throw new ValidationError(field, `dài quá ${max} ký tự`);
  return text;
}

/**
 * Text that went through a legacy Vietnamese encoding (TCVN3/ABC) and was then read as Latin-1 or Windows-1252:
 * "Thông báo" arrives as "Th«ng b¸o". TCVN3 puts its letters on the bytes 0xA1–0xFF, so the damage shows as a
 * Latin-1 symbol (U+00A1–U+00BF) between two letters, which Vietnamese written in Unicode never has. Returns the
 * damaged word and its position (1-based), or null.
 */
export function findLegacyEncoding(text: string): { word: string; position: number } | null {
  const match = /\p{L}[\u00A1-\u00BF]+\p{L}/u.exec(text);
  if (!match) return null;
  const start = text.slice(0, match.index).search(/\S*$/);
  const word = /^\S+/.exec(text.slice(start))![0];
  return { word, position: [...text.slice(0, start)].length + 1 };
}

/** A sentence for a person: the damaged word, where it is, and how to convert the text. */
export function legacyEncodingReason(found: { word: string; position: number }): string {
  return `có chữ hỏng do sai bảng mã ("${found.word}" ở vị trí ${found.position}): có lẽ chữ gõ bằng bảng mã cũ TCVN3/ABC đã bị đọc sai; Loa không đoán bảng mã vì đoán sai sẽ lưu chữ lỗi; hãy chuyển sang Unicode (Unikey: công cụ chuyển mã) rồi nhập lại`;
}
