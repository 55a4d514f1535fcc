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
