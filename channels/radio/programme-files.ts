import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';

import { writeAtomically } from './atomic-file';
import { priorityLabel, type Programme, type ProgrammeEntry, type TimedSlot } from './programme';
import { formatDuration } from './script';

/** "Bài 1" → "Bài 1.": the running order shows each title once, ended by a full stop. */
function titled(title: string): string {
  return `${title.replace(/[\s.!?…:;,]+$/u, '')}.`;
}

function entryHeader(entry: ProgrammeEntry, index: number): string {
  return `[${index + 1}] Mức ưu tiên: ${priorityLabel(entry.priority)} · ${titled(entry.title)} · ${entry.time} · khoảng ${formatDuration(entry.seconds)}`;
}

function slotHeader(slot: TimedSlot): string {
  return (
    `${slot.slot.name.toLocaleUpperCase('vi')} — ${slot.slot.start}, khung ${slot.slot.minutes} phút — ` +
    `${slot.entries.length} bài, dự kiến ${formatDuration(slot.seconds)}${slot.overBySeconds > 0 ? ` (VƯỢT ${formatDuration(slot.overBySeconds)})` : ''}`
  );
}

/** The programme as plain text, for printing or for a TTS box that reads files. Pure. */
export function programmeText(programme: Programme): string {
  const out: string[] = [`CHƯƠNG TRÌNH PHÁT THANH NGÀY ${programme.date}`, programme.stationName, ''];
  if (programme.notes.length > 0) {
    out.push('GHI CHÚ (không đọc trên loa)', ...programme.notes.map((n) => `- ${n}`), '');
  }
  for (const slot of programme.slots) {
    const rule = '='.repeat(60);
    out.push(rule, slotHeader(slot), rule, '', '[Mở đầu]', slot.opening.text, '');
    slot.entries.forEach((entry, i) => {
      out.push(entryHeader(entry, i), '', entry.text, '', '* * *', '');
    });
    out.push('[Kết thúc]', slot.closing.text, '', '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

const READING_SIZE = 28; // half-points: 14 pt, large enough to read aloud from paper

function spoken(text: string, italics = false): Paragraph[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(
      (line) =>
        new Paragraph({
          spacing: { after: 80 },
          indent: line.startsWith('  ') ? { left: 567 } : undefined,
          children: [new TextRun({ text: line.trim(), size: READING_SIZE, italics })],
        }),
    );
}

function documentFor(programme: Programme): Document {
  const children: Paragraph[] = [
    new Paragraph({
      heading: HeadingLevel.TITLE,
      alignment: AlignmentType.CENTER,
      children: [new TextRun(`Chương trình phát thanh ngày ${programme.date}`)],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [new TextRun({ text: programme.stationName, bold: true })],
    }),
  ];
  if (programme.notes.length > 0) {
    children.push(
      new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun('Ghi chú (không đọc trên loa)')] }),
    );
    for (const note of programme.notes)
      children.push(new Paragraph({ bullet: { level: 0 }, children: [new TextRun(note)] }));
  }
  for (const slot of programme.slots) {
    children.push(
      new Paragraph({
        heading: HeadingLevel.HEADING_1,
        pageBreakBefore: children.length > 2,
        children: [new TextRun(slotHeader(slot))],
      }),
    );
    children.push(
      new Paragraph({ children: [new TextRun({ text: 'Mở đầu', bold: true })] }),
      ...spoken(slot.opening.text, true),
    );
    slot.entries.forEach((entry, i) => {
      const urgent = entry.priority === 'khan-cap';
      children.push(
        new Paragraph({
          spacing: { before: 240 },
          children: [new TextRun({ text: entryHeader(entry, i), bold: true, color: urgent ? 'C00000' : undefined })],
        }),
      );
      children.push(...spoken(entry.text));
    });
    children.push(
      new Paragraph({ spacing: { before: 240 }, children: [new TextRun({ text: 'Kết thúc', bold: true })] }),
      ...spoken(slot.closing.text, true),
    );
  }
  return new Document({
    creator: 'Loa',
    title: `Chương trình phát thanh ngày ${programme.date}`,
    styles: { default: { document: { run: { font: 'Times New Roman', size: 26 } } } },
    sections: [{ children }],
  });
}

const xml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The programme as .docx for the announcer. The same programme gives the same bytes: the document's dates are
 * the broadcast day (docx would stamp "now") and the zip entries carry a fixed time, so republishing is idempotent.
 */
export async function programmeDocx(programme: Programme, isoDay: string): Promise<Buffer> {
  const stamp = `${isoDay}T00:00:00Z`;
  const core =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" ' +
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${xml(`Chương trình phát thanh ngày ${programme.date}`)}</dc:title><dc:creator>Loa</dc:creator>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${stamp}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${stamp}</dcterms:modified>` +
    '</cp:coreProperties>';
  const buffer = await Packer.toBuffer(documentFor(programme), false, [{ path: 'docProps/core.xml', data: core }]);
  return fixZipTimes(buffer);
}

/** Sets every entry's DOS modification time to 1980-01-01 00:00, in the local headers and the central directory. */
function fixZipTimes(zip: Buffer): Buffer {
  const FIXED = 0x00210000; // date 1980-01-01 (high word), time 00:00:00 (low word)
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('tệp .docx tạo ra không phải zip hợp lệ');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('tệp .docx tạo ra có thư mục zip hỏng');
    zip.writeUInt32LE(FIXED, at + 12);
    const local = zip.readUInt32LE(at + 42);
    if (zip.readUInt32LE(local) === 0x04034b50) zip.writeUInt32LE(FIXED, local + 10);
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return zip;
}

/** Writes <base>.txt, whole or not at all. */
export function writeProgrammeText(base: string, programme: Programme): void {
  writeAtomically(`${base}.txt`, programmeText(programme));
}

/** Writes <base>.docx, whole or not at all. */
export async function writeProgrammeDocx(base: string, programme: Programme, isoDay: string): Promise<void> {
  writeAtomically(`${base}.docx`, await programmeDocx(programme, isoDay));
}
