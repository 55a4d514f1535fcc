import { open } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Worker } from 'node:worker_threads';

import { ImportError } from './import-error';
import { unwrapTypesetLines } from './unwrap-lines';
import { checkZipBudget } from './zip-budget';

/** Plans are a few pages; anything bigger is a scan archive or the wrong file, refused before it is read. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

export interface NamedBuffer {
  buffer: Buffer;
  /** The original file name; its extension decides how text is taken out. */
  name: string;
}

type DocumentKind = 'txt' | 'docx' | 'pdf';

const TEXT_EXTENSIONS = new Set(['.txt', '.md', '.text', '']);
const PDF_MAGIC = Buffer.from('%PDF-');
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1).replace('.', ',');
}

function tooLarge(name: string, bytes: number): ImportError {
  return new ImportError(
    'too-large',
    `Tệp "${name}" nặng ${megabytes(bytes)} MB, vượt giới hạn 50 MB. Hãy tách hoặc nén lại tệp trước khi nhập.`,
  );
}

function empty(name: string): ImportError {
  return new ImportError('empty', `Tệp "${name}" rỗng: không có nội dung để nhập.`);
}

function isUtf8Text(buffer: Buffer): boolean {
  if (buffer.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buffer);
    return true;
  } catch {
    // A decoding failure is the answer to the question, not an error to report.
    return false;
  }
}

/** The magic bytes decide; the extension only tells a .docx from other zip files and allows plain text. */
function detectKind({ buffer, name }: NamedBuffer): DocumentKind {
  const extension = extname(name).toLowerCase();
  if (buffer.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) return 'pdf';
  if (buffer.subarray(0, ZIP_MAGIC.length).equals(ZIP_MAGIC) && extension === '.docx') return 'docx';
  if (buffer.subarray(0, OLE_MAGIC.length).equals(OLE_MAGIC)) {
    throw new ImportError(
      'unsupported-type',
      `Tệp "${name}" là định dạng Word cũ (.doc). Hãy mở bằng Word và lưu lại dưới dạng .docx hoặc .pdf rồi nhập lại.`,
    );
  }
  if (isUtf8Text(buffer)) {
    if (TEXT_EXTENSIONS.has(extension)) return 'txt';
    throw new ImportError(
      'unsupported-type',
      `Không hỗ trợ loại tệp "${extension}". Chỉ nhập được tệp .txt, .docx hoặc .pdf.`,
    );
  }
  throw new ImportError(
    'binary',
    `Tệp "${name}" không phải văn bản đọc được (tệp nhị phân hoặc định dạng không hỗ trợ). Chỉ nhập được tệp .txt, .docx hoặc .pdf.`,
  );
}

async function docxText({ buffer, name }: NamedBuffer): Promise<string> {
  // Before the Word reader inflates anything: a zip bomb is refused on its directory and bounded inflation.
  checkZipBudget(buffer, name);
  try {
    // Loaded on first use: every `loa` command starts faster without it.
    const mammoth = require('mammoth') as typeof import('mammoth');
    return (await mammoth.extractRawText({ buffer })).value;
  } catch (cause) {
    throw new ImportError(
      'unreadable',
      `Không đọc được tệp Word "${name}": tệp bị hỏng hoặc không đúng định dạng .docx.`,
      'file',
      {
        cause,
      },
    );
  }
}

/** A PDF that takes longer than this to read is treated as unreadable rather than holding the import forever. */
const PDF_TIMEOUT_MS = 60_000;

/**
 * pdf.js is run in a worker thread: a hostile or huge PDF can only burn that thread, which is ended on timeout, and
 * pdf.js's own dynamic import of its worker script works there even when the caller runs inside a CommonJS sandbox
 * (jest), where it fails. The worker is plain CommonJS so it needs no TypeScript loader.
 */
const PDF_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PDFParse } = require(workerData.pdfParsePath);
(async () => {
  const parser = new PDFParse({ data: workerData.data });
  try {
    const result = await parser.getText();
    parentPort.postMessage({ pages: result.pages.map((page) => page.text) });
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  } finally {
    await parser.destroy();
  }
})();
`;

type PdfWorkerReply = { pages: string[] } | { error: string };

function readPdfPages(data: Uint8Array): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(PDF_WORKER_SOURCE, {
      eval: true,
      workerData: { data, pdfParsePath: require.resolve('pdf-parse') },
    });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`quá ${PDF_TIMEOUT_MS / 1000} giây`));
    }, PDF_TIMEOUT_MS);
    worker.once('message', (reply: PdfWorkerReply) => {
      clearTimeout(timer);
      void worker.terminate();
      if ('pages' in reply) resolve(reply.pages);
      else reject(new Error(reply.error));
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

async function pdfText({ buffer, name }: NamedBuffer): Promise<string> {
  const pages = await readPdfPages(new Uint8Array(buffer)).catch((cause: unknown) => {
    throw new ImportError('unreadable', `Không đọc được tệp PDF "${name}": tệp bị hỏng hoặc có mật khẩu.`, 'file', {
      cause,
    });
  });
  const text = pages.join('\n');
  if (text.trim() === '') {
    throw new ImportError(
      'no-text-layer',
      `Tệp PDF "${name}" không có lớp chữ (có thể là bản scan). Hãy nhập bản Word, hoặc PDF đã nhận dạng chữ (OCR).`,
    );
  }
  return unwrapTypesetLines(text);
}

const EXTRACTORS: Record<DocumentKind, (input: NamedBuffer) => Promise<string>> = {
  txt: async ({ buffer }) => buffer.toString('utf8'),
  docx: docxText,
  pdf: pdfText,
};

/** Plain text of a plan given as bytes and a file name. */
export async function extractTextFromBuffer(input: NamedBuffer): Promise<string> {
  if (input.buffer.length === 0) throw empty(input.name);
  if (input.buffer.length > MAX_FILE_BYTES) throw tooLarge(input.name, input.buffer.length);
  const text = await EXTRACTORS[detectKind(input)](input);
  if (text.trim() === '') throw empty(input.name);
  return text;
}

/** Plain text of a plan file; the size is checked before the file is read. */
export async function extractTextFromFile(path: string): Promise<string> {
  const name = basename(path);
  const handle = await open(path, 'r').catch((cause: unknown) => {
    throw new ImportError('unreadable', `Không mở được tệp "${path}".`, 'file', { cause });
  });
  try {
    const stat = await handle.stat();
    if (stat.isDirectory())
      throw new ImportError(
        'unreadable',
        `"${path}" là một thư mục; hãy chỉ ra một tệp kế hoạch (.txt, .docx, .pdf).`,
        'file',
      );
    const { size } = stat;
    if (size === 0) throw empty(name);
    if (size > MAX_FILE_BYTES) throw tooLarge(name, size);
    return await extractTextFromBuffer({ buffer: await handle.readFile(), name });
  } finally {
    await handle.close();
  }
}
