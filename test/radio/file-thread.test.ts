import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { FileThread } from '../../channels/radio/file-thread';

describe('the radio file thread', () => {
  let dir: string;
  let files: FileThread;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-file-thread-'));
    files = new FileThread();
  });
  afterEach(async () => {
    await files.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('writes each file whole, making the folders that are missing, and answers only once they are written', async () => {
    const day = path.join(dir, 'dai-xa', '2026-12-08');
    const body = 'Thông báo của Ủy ban nhân dân xã.\n'.repeat(200);
    await files.write([
      [path.join(day, '0600-a.json'), '{"version":1}\n'],
      [path.join(day, '0600-a.txt'), body],
    ]);
    expect(fs.readFileSync(path.join(day, '0600-a.json'), 'utf8')).toBe('{"version":1}\n');
    expect(fs.readFileSync(path.join(day, '0600-a.txt'), 'utf8')).toBe(body);
  });

  test('a write that fails rejects with the error, its code, call and path; the next write goes on', async () => {
    fs.writeFileSync(path.join(dir, 'tep'), 'một tệp, không phải thư mục');
    const failed = files.write([[path.join(dir, 'tep', 'a.txt'), 'x']]);
    await expect(failed).rejects.toMatchObject({
      code: 'ENOTDIR',
      syscall: 'open',
      path: path.join(dir, 'tep', 'a.txt'),
    });
    await files.write([[path.join(dir, 'b.txt'), 'y']]);
    expect(fs.readFileSync(path.join(dir, 'b.txt'), 'utf8')).toBe('y');
  });

  test('many writes at once each get their own answer; a closed thread is started again by the next write', async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => files.write([[path.join(dir, `${i}.txt`), `bài ${i}`]])));
    for (let i = 0; i < 50; i++) expect(fs.readFileSync(path.join(dir, `${i}.txt`), 'utf8')).toBe(`bài ${i}`);
    await files.close();
    await files.write([[path.join(dir, 'sau.txt'), 'sau khi đóng']]);
    expect(fs.readFileSync(path.join(dir, 'sau.txt'), 'utf8')).toBe('sau khi đóng');
  });
});
