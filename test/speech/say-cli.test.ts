import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function runSay(input: string, args: string[] = []): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/loa.js', 'say', ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
    child.stdin.end(input);
  });
}

describe('loa say', () => {
  test('prints one spoken line for each input line, blank lines included', async () => {
    const { stdout, code } = await runSay('Kế hoạch số 107/KH-UBND ngày 28/3/2025\n\n98,5% CBCCVC\n7h30');
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'Kế hoạch số một trăm linh bảy của Ủy ban nhân dân ngày hai mươi tám tháng ba năm hai nghìn không trăm hai mươi lăm',
        '',
        'chín mươi tám phẩy năm phần trăm cán bộ, công chức, viên chức',
        'bảy giờ ba mươi phút',
        '',
      ].join('\n'),
    );
  });

  test('--phuong-ngu nam uses the Southern words', async () => {
    const { stdout } = await runSay('ngày 05/4/2025\n', ['--phuong-ngu', 'nam']);
    expect(stdout).toBe('ngày mùng năm tháng tư năm hai ngàn không trăm hai mươi lăm\n');
  });

  test('--canh-bao reports warnings on stderr with the line number', async () => {
    const { stdout, stderr } = await runSay('Xin chào\nEMC 3,143\n', ['--canh-bao']);
    expect(stdout).toBe('Xin chào\nEMC ba phẩy một trăm bốn mươi ba\n');
    expect(stderr).toContain('dòng 2: Chữ viết tắt chưa có trong từ điển, để nguyên: "EMC"');
    expect(stderr).toContain('dòng 2: "3,143"');
  });

  test('an unknown dialect is refused in Vietnamese', async () => {
    const { stderr, code } = await runSay('1\n', ['--phuong-ngu', 'trung']);
    expect(code).toBe(2);
    expect(stderr).toContain('--phuong-ngu phải là bac hoặc nam');
  });

  test('streams 721 lines quickly, one output line each', async () => {
    const lines = Array.from(
      { length: 721 },
      (_, i) => `Dòng ${i + 1}: ngày ${(i % 28) + 1}/3/2025 lúc 7h30, 98,5% CCHC`,
    );
    const started = Date.now();
    const { stdout } = await runSay(lines.join('\n') + '\n');
    const out = stdout.split('\n');
    expect(out).toHaveLength(722);
    expect(out[720]).toBe(
      'Dòng bảy trăm hai mươi mốt: ngày hai mươi mốt tháng ba năm hai nghìn không trăm hai mươi lăm lúc bảy giờ ba mươi phút, chín mươi tám phẩy năm phần trăm cải cách hành chính',
    );
    expect(Date.now() - started).toBeLessThan(20000);
  });
});
