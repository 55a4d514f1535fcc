import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

import tar from 'tar-stream';

/**
 * A backup file is a gzip'd tar (readable with `tar -tzf` when a person needs to look inside):
 *   db/<table>/<nnnnnn>.jsonl   the table's rows in primary-key order, one JSON array per line, 5,000 rows a file
 *   exports/<path>              the export folder's files (radio scripts, programmes, audio)
 *   manifest.json               last: Loa and schema versions, tables with their columns and counts, every entry's
 *                               SHA-256 — a restore checks them all before it writes anything
 * Rows travel as JSON, not as one database's file, so a backup of SQLite restores into PostgreSQL and back.
 */
export const MANIFEST = 'manifest.json';
export const FORMAT = 'loa-backup';
export const FORMAT_VERSION = 1;

export interface ManifestEntry {
  path: string;
  bytes: number;
  sha256: string;
}

export interface ManifestTable {
  name: string;
  columns: string[];
  primaryKey: string[];
  rows: number;
  files: Array<ManifestEntry & { rows: number }>;
}

export interface Manifest {
  format: typeof FORMAT;
  formatVersion: number;
  loaVersion: string;
  createdAt: string;
  database: { dialect: string };
  schema: { version: string; migrations: string[] };
  tables: ManifestTable[];
  exports: ManifestEntry[];
  /** Channels whose secret is in the file, encrypted; the key (LOA_SECRET_KEY) never is. */
  secrets: { channels: string[]; keyIds: string[]; keyIncluded: false };
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes entries into a new archive; `close` finishes it. */
export class ArchiveWriter {
  private readonly pack = tar.pack();
  private readonly done: Promise<void>;

  constructor(file: string) {
    this.done = pipeline(this.pack, zlib.createGzip({ level: 6 }), fs.createWriteStream(file, { flags: 'wx' }));
    // A failed write (disk full) surfaces from `done`; this keeps an unobserved rejection from ending the process first.
    this.done.catch(() => undefined);
  }

  /** Adds one entry; resolves once the archive has taken it (so a slow disk holds the reader back). */
  async add(name: string, bytes: Buffer, mtime?: Date): Promise<ManifestEntry> {
    await Promise.race([
      new Promise<void>((resolve, reject) =>
        this.pack.entry({ name, mtime }, bytes, (error) => (error ? reject(error) : resolve())),
      ),
      this.done.then(() => {
        throw new Error('tệp sao lưu đã đóng giữa chừng');
      }),
    ]);
    return { path: name, bytes: bytes.length, sha256: sha256(bytes) };
  }

  async close(): Promise<void> {
    this.pack.finalize();
    await this.done;
  }

  /** Stops writing after a failure; the caller removes the half-written file. */
  async abort(): Promise<void> {
    this.pack.destroy();
    await this.done.catch(() => undefined);
  }
}

/** The archive's entries one by one, each read whole (entries are bounded: 5,000 rows, one export file). */
export async function* readArchive(file: string): AsyncGenerator<{ name: string; bytes: Buffer }> {
  const extract = tar.extract();
  const input = fs.createReadStream(file);
  const gunzip = zlib.createGunzip();
  // pipe() does not pass errors on: a missing file or a broken gzip ends the reading loop with its error.
  input.on('error', (error) => extract.destroy(error));
  gunzip.on('error', (error) => extract.destroy(error));
  input.pipe(gunzip).pipe(extract);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    if (entry.header.type === 'file') yield { name: entry.header.name, bytes: Buffer.concat(chunks) };
  }
}

/** An entry name inside the export folder, refused if it would leave it (`..`, an absolute path). */
export function exportTarget(exportDir: string, name: string): string {
  const relative = name.slice('exports/'.length);
  const target = path.resolve(exportDir, relative);
  if (!relative || path.isAbsolute(relative) || !target.startsWith(path.resolve(exportDir) + path.sep)) {
    throw new Error(`mục "${name}" trỏ ra ngoài thư mục xuất`);
  }
  return target;
}
