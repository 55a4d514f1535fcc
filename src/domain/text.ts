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
