/**
 * Issue 27, findings 4 and 14: plan uploads that cost the server. A .docx whose zip inflates far beyond a plan (by its
 * directory, by lying about its sizes, or by thousands of entries) is refused before the Word reader inflates it; a
 * 10 MB text on one line is refused in words, not with HTTP 500. The same refusal on the API, the desk and the CLI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

import { Document, Packer, Paragraph } from 'docx';

import { listPlans } from '../../src/store/plans';
import { extractTextFromBuffer, importPlanText } from '../support/importer';
import { type Doors, openDoors, pageText } from './doors';

interface ZipPart {
  name: string;
  data: Buffer;
  /** Size the directory claims (default: the real one). */
  claims?: number;
  stored?: boolean;
}

/** A zip written by hand, so a test can make one that lies. */
function zip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name);
    const body = part.stored ? part.data : deflateRawSync(part.data);
    const size = part.claims ?? part.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(part.stored ? 0 : 8, 8);
    local.writeUInt32LE(crc32(part.data), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(part.stored ? 0 : 8, 10);
    central.writeUInt32LE(crc32(part.data), 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const DOC = '<w:document><w:body><w:p><w:r><w:t>Kế hoạch</w:t></w:r></w:p></w:body></w:document>';
const BOMBS: Array<[string, () => Buffer, RegExp]> = [
  [
    'a directory claiming 1 GB',
    () => zip([{ name: 'word/document.xml', data: Buffer.from(DOC), claims: 1024 * 1024 * 1024 }]),
    /giải nén ra hơn 100 MB/,
  ],
  [
    'an entry inflating past the size it claims',
    () => zip([{ name: 'word/document.xml', data: Buffer.alloc(8 * 1024 * 1024, 0x20), claims: 1000 }]),
    /lớn hơn kích thước nó tự khai/,
  ],
  [
    'thousands of entries',
    () => zip(Array.from({ length: 2_001 }, (_, i) => ({ name: `word/p${i}.xml`, data: Buffer.from('x') }))),
    /có 2001 phần bên trong \(tối đa 2000\)/,
  ],
];

describe('the importer refuses zip bombs before inflating them', () => {
  test.each(BOMBS)('%s', async (_name, make, reason) => {
    await expect(extractTextFromBuffer({ buffer: make(), name: 'ke-hoach.docx' })).rejects.toMatchObject({
      reason: 'too-large',
      message: expect.stringMatching(reason),
    });
  });
  test('a real .docx (made by the docx library, as Word writes one) still reads', async () => {
    const document = new Document({
      sections: [{ children: [new Paragraph('KẾ HOẠCH Tuyên truyền cải cách hành chính năm 2026')] }],
    });
    const buffer = await Packer.toBuffer(document);
    const text = await extractTextFromBuffer({ buffer, name: 'ke-hoach.docx' });
    expect(text).toMatch(/Tuyên truyền cải cách hành chính năm 2026/);
  });
  test('a 10 MB text on one line is refused in words', () => {
    expect(() => importPlanText('Kế hoạch tuyên truyền '.repeat(500_000))).toThrow(/Dòng 1 của văn bản dài .* ký tự/);
  });
});

describe('the same refusals at every door', () => {
  let doors: Doors;
  beforeAll(async () => {
    doors = await openDoors('sqlite');
  });
  afterAll(() => doors.close());

  const cases: Array<[string, string, () => Buffer, number, RegExp]> = [
    ['zip bomb', 'ke-hoach.docx', BOMBS[0]![1], 413, /giải nén ra hơn 100 MB/],
    [
      'one 10 MB line',
      'ke-hoach.txt',
      () => Buffer.from('Kế hoạch tuyên truyền '.repeat(500_000)),
      422,
      /Dòng 1 của văn bản dài/,
    ],
  ];

  test.each(cases)('%s: API', async (_name, file, make, status, reason) => {
    const res = await fetch(`${doors.base}/api/plans`, {
      method: 'POST',
      body: new Uint8Array(make()),
      headers: {
        'content-type': 'application/octet-stream',
        authorization: `Bearer ${doors.accounts.token.officer}`,
        'x-loa-filename': file,
      },
    });
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error: { message: expect.stringMatching(reason) } });
    expect(await listPlans(doors.db.kysely)).toHaveLength(0);
  });

  test.each(cases)('%s: desk', async (_name, file, make, _status, reason) => {
    const form = new FormData();
    form.set('tep', new Blob([new Uint8Array(make())]), file);
    const page = await doors.desk('officer', '/desk/ke-hoach', form);
    expect(page.status).toBe(422);
    expect(pageText(page.html)).toMatch(reason);
    expect(await listPlans(doors.db.kysely)).toHaveLength(0);
  });

  test.each(cases)('%s: CLI', async (_name, file, make, _status, reason) => {
    const where = path.join(doors.config.exportDir, file);
    fs.writeFileSync(where, make());
    const result = await doors.cli(['import', where]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(reason);
    expect(await listPlans(doors.db.kysely)).toHaveLength(0);
  });
});
