import zlib from 'node:zlib';

/**
 * The little of the zip format a .docx needs, to read the parts of a document the `docx` package made once and to
 * pack the day's programme from them without it (see programme-docx.ts): deflated entries, no zip64, no encryption.
 */

/** One part of a package: its name and its bytes, deflated once (a part reused in many packages is deflated once). */
export interface ZipPart {
  name: string;
  size: number;
  crc: number;
  deflated: Buffer;
}

export function zipPart(name: string, data: Buffer | string): ZipPart {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return { name, size: bytes.length, crc: zlib.crc32(bytes), deflated: zlib.deflateRawSync(bytes) };
}

/** DOS date 1980-01-01, time 00:00: every entry carries it, so the same parts always give the same bytes. */
const FIXED_DATE = 0x0021;
const FIXED_TIME = 0x0000;

/** The parts, in their order, as one zip file. */
export function zipOf(parts: ZipPart[]): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: deflate
    local.writeUInt16LE(0, 6); // flags
    local.writeUInt16LE(8, 8); // method: deflate
    local.writeUInt16LE(FIXED_TIME, 10);
    local.writeUInt16LE(FIXED_DATE, 12);
    local.writeUInt32LE(part.crc, 14);
    local.writeUInt32LE(part.deflated.length, 18);
    local.writeUInt32LE(part.size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28); // extra field
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4); // made by
    entry.writeUInt16LE(20, 6); // needed
    entry.writeUInt16LE(0, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt16LE(FIXED_TIME, 12);
    entry.writeUInt16LE(FIXED_DATE, 14);
    entry.writeUInt32LE(part.crc, 16);
    entry.writeUInt32LE(part.deflated.length, 20);
    entry.writeUInt32LE(part.size, 24);
    entry.writeUInt16LE(name.length, 28);
    // extra, comment, disk, internal and external attributes: zero
    entry.writeUInt32LE(offset, 42);
    chunks.push(local, name, part.deflated);
    central.push(entry, name);
    offset += local.length + name.length + part.deflated.length;
  }
  const directorySize = central.reduce((sum, chunk) => sum + chunk.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directorySize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, ...central, end]);
}

/** The entries of a zip the `docx` package wrote (stored or deflated), in their order, read by its central directory. */
export function unzip(zip: Buffer): Array<{ name: string; data: Buffer }> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('tệp .docx tạo ra không phải zip hợp lệ');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: Array<{ name: string; data: Buffer }> = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('tệp .docx tạo ra có thư mục zip hỏng');
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + compressed);
    entries.push({ name, data: method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw) });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}
