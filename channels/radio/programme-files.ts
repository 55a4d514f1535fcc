import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';

import { writeAtomically } from './atomic-file';
import { priorityLabel, type Programme, type ProgrammeEntry, type TimedSlot } from './programme';
import { formatDuration } from './script';
import { unzip, zipOf, type ZipPart, zipPart } from './zip';

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

/**
 * The programme as the `docx` package describes it. Packing it with `docx` cost ~30 ms a day and burst (a fifth of a
 * radio burst's CPU in the profile): `docx` now only makes, once per process, the parts that do not depend on the
 * day (styles, numbering, settings, the document's head and section); the day's paragraphs are written below as the
 * same XML (programme-files.test.ts checks it against this, part by part).
 */
export function programmeDocument(programme: Programme): Document {
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

/** docProps/core.xml: the title, and the broadcast day as its dates (docx would stamp "now"). */
function coreXml(programme: Programme, isoDay: string): string {
  const stamp = `${isoDay}T00:00:00Z`;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" ' +
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${xml(`Chương trình phát thanh ngày ${programme.date}`)}</dc:title><dc:creator>Loa</dc:creator>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${stamp}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${stamp}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

/**
 * The programme as .docx for the announcer. The same programme gives the same bytes: the document's dates are the
 * broadcast day and the zip entries carry a fixed time, so republishing is idempotent.
 */
export async function programmeDocx(programme: Programme, isoDay: string): Promise<Buffer> {
  const { before, head, tail, after } = await docxSkeleton();
  // The skeleton's core.xml carries the time it was made: the day's replaces it, wherever docx put it.
  const dated = (part: ZipPart) => (part.name === CORE_PART ? zipPart(CORE_PART, coreXml(programme, isoDay)) : part);
  return zipOf([
    ...before.map(dated),
    zipPart(DOCUMENT_PART, `${head}${bodyXml(programme)}${tail}`),
    ...after.map(dated),
  ]);
}

/** The same programme packed by the `docx` package, as every programme was before programmeDocx; for the tests. */
export async function programmeDocxByPackage(programme: Programme, isoDay: string): Promise<Buffer> {
  const core = coreXml(programme, isoDay);
  return Packer.toBuffer(programmeDocument(programme), false, [{ path: CORE_PART, data: core }]);
}

const DOCUMENT_PART = 'word/document.xml';
const CORE_PART = 'docProps/core.xml';

/** The parts of a programme's package that do not depend on the day, around word/document.xml, in docx's order. */
interface DocxSkeleton {
  before: ZipPart[];
  /** word/document.xml up to its body's first paragraph, and from its section properties on. */
  head: string;
  tail: string;
  after: ZipPart[];
}

let skeleton: Promise<DocxSkeleton> | undefined;

/**
 * Makes the parts now, in the background: a worker's radio adapter asks at start, so the first burst does not pay
 * for them (~0.2 s of CPU the first time `docx` packs a document in a process). A failure is left to the first
 * programme, which tries again and reports it.
 */
export function prepareProgrammeDocx(): void {
  docxSkeleton().catch(() => undefined);
}

/**
 * Made once per process by the `docx` package from a programme with one note (so the bullets' numbering is in
 * it): every part but the document's body is the same for every programme, core.xml excepted (written per day).
 */
function docxSkeleton(): Promise<DocxSkeleton> {
  skeleton ??= (async () => {
    const parts = unzip(
      await Packer.toBuffer(programmeDocument({ stationName: '', date: '', slots: [], notes: ['-'] }), false),
    );
    const at = parts.findIndex((part) => part.name === DOCUMENT_PART);
    const document = parts[at]?.data.toString('utf8') ?? '';
    const bodyStart = document.indexOf('<w:body>') + '<w:body>'.length;
    const bodyEnd = document.lastIndexOf('<w:sectPr');
    if (at < 0 || bodyStart < '<w:body>'.length || bodyEnd < bodyStart)
      throw new Error('gói docx tạo ra tài liệu không đúng dạng mong đợi (thiếu w:body hoặc w:sectPr)');
    const packed = (list: typeof parts) => list.map((part) => zipPart(part.name, part.data));
    return {
      before: packed(parts.slice(0, at)),
      head: document.slice(0, bodyStart),
      tail: document.slice(bodyEnd),
      after: packed(parts.slice(at + 1)),
    };
  })();
  skeleton.catch(() => (skeleton = undefined)); // a failure is tried again on the next programme
  return skeleton;
}

/** Text as the `docx` package writes it in an element: the five entities, control characters XML cannot carry dropped. */
function textXml(text: string): string {
  // eslint-disable-next-line no-control-regex -- the control characters are what is removed
  return text.replace(/[&"'<>\x00-\x08\x0B\x0C\x0E-\x1F]/g, (char) => TEXT_ESCAPES[char] ?? '');
}
const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', "'": '&apos;', '<': '&lt;', '>': '&gt;' };

/** One paragraph of one run, as programmeDocument's Paragraph and TextRun are written. */
function paragraphXml(properties: string, runProperties: string, text: string): string {
  const pPr = properties ? `<w:pPr>${properties}</w:pPr>` : '';
  const rPr = runProperties ? `<w:rPr>${runProperties}</w:rPr>` : '';
  return `<w:p>${pPr}<w:r>${rPr}<w:t xml:space="preserve">${textXml(text)}</w:t></w:r></w:p>`;
}

const BOLD = '<w:b/><w:bCs/>';

function spokenXml(text: string, italics: boolean): string {
  const run = `${italics ? '<w:i/><w:iCs/>' : '<w:i w:val="false"/><w:iCs w:val="false"/>'}<w:sz w:val="${READING_SIZE}"/><w:szCs w:val="${READING_SIZE}"/>`;
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) =>
      paragraphXml(
        `<w:spacing w:after="80"/>${line.startsWith('  ') ? '<w:ind w:left="567"/>' : ''}`,
        run,
        line.trim(),
      ),
    )
    .join('');
}

/** The body's paragraphs, as programmeDocument lays them out. */
function bodyXml(programme: Programme): string {
  const out: string[] = [
    paragraphXml(
      '<w:pStyle w:val="Title"/><w:jc w:val="center"/>',
      '',
      `Chương trình phát thanh ngày ${programme.date}`,
    ),
    paragraphXml('<w:jc w:val="center"/>', BOLD, programme.stationName),
  ];
  if (programme.notes.length > 0) {
    out.push(paragraphXml('<w:pStyle w:val="Heading2"/>', '', 'Ghi chú (không đọc trên loa)'));
    for (const note of programme.notes)
      out.push(
        paragraphXml(
          '<w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>',
          '',
          note,
        ),
      );
  }
  for (const slot of programme.slots) {
    // A slot after the title and station name alone starts on the first page; any other on a new one.
    const pageBreak = out.length > 2 ? '<w:pageBreakBefore/>' : '';
    out.push(paragraphXml(`<w:pStyle w:val="Heading1"/>${pageBreak}`, '', slotHeader(slot)));
    out.push(paragraphXml('', BOLD, 'Mở đầu'), spokenXml(slot.opening.text, true));
    slot.entries.forEach((entry, i) => {
      const urgent = entry.priority === 'khan-cap';
      out.push(
        paragraphXml(
          '<w:spacing w:before="240"/>',
          `${BOLD}${urgent ? '<w:color w:val="C00000"/>' : ''}`,
          entryHeader(entry, i),
        ),
        spokenXml(entry.text, false),
      );
    });
    out.push(paragraphXml('<w:spacing w:before="240"/>', BOLD, 'Kết thúc'), spokenXml(slot.closing.text, true));
  }
  return out.join('');
}

/** Writes <base>.txt, whole or not at all. */
export function writeProgrammeText(base: string, programme: Programme): void {
  writeAtomically(`${base}.txt`, programmeText(programme));
}

/** Writes <base>.docx, whole or not at all. */
export async function writeProgrammeDocx(base: string, programme: Programme, isoDay: string): Promise<void> {
  writeAtomically(`${base}.docx`, await programmeDocx(programme, isoDay));
}
