import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { RadioAdapter, type RadioOptions } from '../../channels/radio/radio-adapter';
import { Templates } from '../../channels/template';
import { type ChannelAdapter, ChannelError, type ChannelServices, type PostContext } from '../../channels/types';
import type { Priority } from '../../src/domain/content-item';
import { testAttempt } from '../support/attempt';

const TEMPLATES = path.resolve(__dirname, '../../templates');
const has = (command: string) => {
  try {
    execFileSync('which', [command], { stdio: 'ignore' });
    return true;
  } catch {
    return false; // `which` exits non-zero when the command is not installed
  }
};
const HAS_ESPEAK = has('espeak-ng');
const HAS_UNZIP = has('unzip');

let exportDir: string;
beforeEach(() => {
  exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-radio-'));
});
afterEach(() => fs.rmSync(exportDir, { recursive: true, force: true }));

/** A post for station "dai-xa" on 23/11/2026 at `localTime` (Vietnam, UTC+7). */
function post(
  itemId: number,
  localTime: string,
  priority: Priority,
  body: string,
  settings: Record<string, unknown> = {},
): PostContext {
  const [hh, mm] = localTime.split(':').map(Number);
  const scheduledAt = new Date(Date.UTC(2026, 10, 23, hh! - 7, mm!));
  const id = `i${itemId}-dai-xa-${scheduledAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z')}`;
  const now = new Date('2026-11-20T00:00:00Z');
  return {
    publication: {
      id,
      itemId,
      channelId: 'dai-xa',
      scheduledAt,
      state: 'publishing',
      reason: null,
      content: null,
      externalId: null,
      externalUrl: null,
      attempts: 0,
      queuedBy: 'kiểm thử',
      claimedBy: null,
      leaseUntil: null,
      publishedAt: null,
      createdAt: now,
      updatedAt: now,
    },
    item: {
      id: itemId,
      planId: 1,
      areaKey: 'thu-tuc-hanh-chinh',
      unitId: 'ubnd',
      title: `Bài ${itemId}`,
      body,
      link: null,
      image: null,
      priority,
      author: 'cán bộ A',
      approvedBy: 'lãnh đạo B',
      approvedAt: now,
      createdAt: now,
      updatedAt: now,
    },
    channel: {
      id: 'dai-xa',
      unitId: 'ubnd',
      platform: 'radio',
      name: 'Đài truyền thanh xã Tân Lập',
      settings: { preview: false, ...settings },
    },
    unit: { id: 'ubnd', name: 'UBND xã Tân Lập' },
    areaName: 'Thủ tục hành chính',
  };
}

function adapter(options: RadioOptions = {}): RadioAdapter {
  return new RadioAdapter(new Templates(TEMPLATES), exportDir, options);
}

async function publish(radio: RadioAdapter, p: PostContext) {
  const channel: ChannelAdapter = radio;
  const outcome = await channel.publish(p, await radio.render(p), testAttempt());
  if (outcome.status !== 'sent') throw new Error(`radio answered ${outcome.status}`);
  await radio.flush(); // the .docx programme is rebuilt a moment after publishing
  return outcome;
}

const dayDir = () => path.join(exportDir, 'radio', 'dai-xa', '2026-11-23');
/** The spoken text read on, without the breath line breaks. */
const flat = (text: string) => text.replace(/\s+/g, ' ');
const programme = () => fs.readFileSync(`${dayDir()}.txt`, 'utf8');

/** Every file under the export folder with its bytes, to compare two publishing runs. */
function snapshot(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(exportDir, { recursive: true, encoding: 'utf8' }).sort()) {
    const file = path.join(exportDir, name);
    if (fs.statSync(file).isFile()) files[name] = fs.readFileSync(file).toString('base64');
  }
  return files;
}

const PLAN = 'Thực hiện Kế hoạch số 107/KH-UBND ngày 28/3/2025 của UBND xã, bà con nộp hồ sơ trực tuyến.';
const day = () => [
  post(1, '05:30', 'thong-thuong', PLAN),
  post(2, '05:50', 'khan-cap', 'Bão số 3 đổ bộ lúc 14h30, bà con chằng chống nhà cửa.'),
  post(3, '16:45', 'uu-tien', 'Từ ngày 1/12/2026 nộp hồ sơ qua VNeID.'),
];

describe('radio adapter', () => {
  test('each publication is a spoken script with a priority header and a sidecar', async () => {
    const radio = adapter();
    const [first, second] = day();
    const result = await publish(radio, first!);
    await publish(radio, second!);
    const names = fs.readdirSync(dayDir()).sort();
    expect(names).toEqual([
      `0530-${first!.publication.id}.json`,
      `0530-${first!.publication.id}.txt`,
      `0550-${second!.publication.id}.json`,
      `0550-${second!.publication.id}.txt`,
    ]);
    const script = fs.readFileSync(path.join(dayDir(), `0530-${first!.publication.id}.txt`), 'utf8');
    expect(result.content).toBe(script);
    expect(result.externalId).toBe(path.join('radio', 'dai-xa', '2026-11-23', `0530-${first!.publication.id}.txt`));
    const [header, blank, ...spoken] = script.split('\n');
    expect(header).toMatch(
      /^Mức ưu tiên: THÔNG THƯỜNG · Phát lúc 05:30 ngày 23\/11\/2026 · đọc khoảng \d+ giây \(\d+ âm tiết, 200 âm tiết\/phút\)$/,
    );
    expect(blank).toBe('');
    const text = spoken.join('\n');
    expect(flat(text)).toContain(
      'Kế hoạch số một trăm linh bảy ngày hai mươi tám tháng ba năm hai nghìn không trăm hai mươi lăm của Ủy ban nhân dân xã',
    );
    expect(text).toContain('một trăm linh bảy\n  ngày hai mươi tám');
    expect(text).not.toMatch(/\d/);
    expect(text).not.toContain('UBND');
    const urgent = fs.readFileSync(path.join(dayDir(), `0550-${second!.publication.id}.txt`), 'utf8');
    expect(urgent.split('\n')[0]).toMatch(/^Mức ưu tiên: KHẨN CẤP · /);
    const sidecar = JSON.parse(fs.readFileSync(path.join(dayDir(), `0550-${second!.publication.id}.json`), 'utf8'));
    expect(sidecar).toMatchObject({ title: 'Bài 2', priority: 'khan-cap', time: '05:50', preview: { kind: 'off' } });
    expect(sidecar.seconds).toBe(Math.ceil((sidecar.syllables * 60) / 200));
  });

  test('the desk preview is the published script: one reading, the issuer said once', async () => {
    const radio = adapter();
    const body =
      'Sáng 19/7, thực hiện Nghị định số 25/2025/NĐ-CP ngày 21/02/2025 của Chính phủ, xã giải quyết thủ tục hành chính (TTHC) với lệ phí 50.000 đồng/hồ sơ.';
    const p = post(7, '07:00', 'thong-thuong', body);
    const preview = radio.preview(p, await radio.render(p));
    const result = await publish(radio, p);
    expect(result.content).toContain(preview.text);
    expect(flat(preview.text)).toContain('Sáng mười chín tháng bảy');
    expect(flat(preview.text).match(/của Chính phủ/g)).toHaveLength(1);
    expect(flat(preview.text)).not.toContain('tê tê hát xê');
    expect(flat(preview.text)).toContain('đồng trên hồ sơ');
  });

  test('the station dialect and the given dictionary are used', async () => {
    const p = post(1, '07:00', 'thong-thuong', PLAN, { dialect: 'south' });
    const result = await publish(adapter({ abbreviations: new Map([['UBND', { full: 'Ủy ban thử' }]]) }), p);
    expect(flat(result.content)).toContain(
      'Kế hoạch số một trăm lẻ bảy ngày hai mươi tám tháng ba năm hai ngàn không trăm hai mươi lăm của Ủy ban thử xã',
    );
  });

  test('the day programme groups by slot, khẩn cấp first, with opening and closing, as .txt and .docx', async () => {
    const radio = adapter();
    for (const p of day()) await publish(radio, p);
    const text = programme();
    expect(text.split('Bài 1.')).toHaveLength(2);
    const morning = text.indexOf('BUỔI SÁNG');
    const afternoon = text.indexOf('BUỔI CHIỀU');
    expect(morning).toBeGreaterThan(0);
    expect(afternoon).toBeGreaterThan(morning);
    expect(text.indexOf('Bài 2.')).toBeGreaterThan(morning);
    expect(text.indexOf('Bài 2.')).toBeLessThan(text.indexOf('Bài 1.'));
    expect(text.indexOf('Bài 3.')).toBeGreaterThan(afternoon);
    expect(text).toContain('Đây là Đài truyền thanh xã Tân Lập.');
    expect(text).toContain('Buổi sáng ngày hai mươi ba tháng mười một năm hai nghìn không trăm hai mươi sáu');
    expect(text).toContain('Cảm ơn bà con đã lắng nghe.');
    expect(text).toContain('Bão số ba đổ bộ lúc mười bốn giờ ba mươi phút');
    expect(fs.existsSync(`${dayDir()}.docx`)).toBe(true);
    if (!HAS_UNZIP) {
      console.warn('unzip is not installed: the content of the .docx is not checked (apt-get install -y unzip)');
      return;
    }
    const xml = execFileSync('unzip', ['-p', `${dayDir()}.docx`, 'word/document.xml'], { encoding: 'utf8' });
    expect(xml).toContain('Thực hiện Kế hoạch số một trăm linh bảy');
    expect(xml).toContain('Mức ưu tiên: KHẨN CẤP · Bài 2.');
    expect(xml.indexOf('BUỔI SÁNG')).toBeLessThan(xml.indexOf('BUỔI CHIỀU'));
  });

  test('publishing the same publication again leaves every file byte for byte the same', async () => {
    const radio = adapter();
    for (const p of day()) await publish(radio, p);
    const before = snapshot();
    expect(Object.keys(before)).toContain(path.join('radio', 'dai-xa', '2026-11-23.docx'));
    await new Promise((resolve) => setTimeout(resolve, 2100)); // past the 2-second grain of zip times
    await publish(adapter(), day()[1]!);
    expect(snapshot()).toEqual(before);
  });

  test('a slot that runs over its length is warned about in the programme notes', async () => {
    const long = Array.from(
      { length: 30 },
      (_, i) => `Đoạn ${i + 1} nói về thủ tục hành chính, bà con cần nhớ kỹ.`,
    ).join(' ');
    await publish(
      adapter(),
      post(1, '05:30', 'thong-thuong', long, { slots: [{ name: 'Buổi sáng', start: '06:00', minutes: 1 }] }),
    );
    const text = programme();
    expect(text).toMatch(
      /GHI CHÚ \(không đọc trên loa\)\n- Buổi sáng \(06:00, 1 phút\): dự kiến đọc \d+ phút( \d+ giây)?, vượt /,
    );
    expect(text).toContain('(VƯỢT ');
  });

  test('normaliser warnings are kept in the sidecar and the programme notes', async () => {
    const p = post(4, '07:10', 'thong-thuong', 'Có 3,143 hộ đã đăng ký.');
    await publish(adapter(), p);
    const sidecar = JSON.parse(fs.readFileSync(path.join(dayDir(), `0710-${p.publication.id}.json`), 'utf8'));
    expect(sidecar.warnings.length).toBeGreaterThan(0);
    expect(programme()).toContain(`- “Bài 4”: ${sidecar.warnings[0]}`);
  });

  test('a wrong station setting stops publishing with a Vietnamese message naming the field, and writes nothing', async () => {
    const p = post(1, '07:00', 'thong-thuong', PLAN, { slots: [{ name: 'Sáng', start: '6h', minutes: 15 }] });
    const radio = adapter();
    const error = await publish(radio, p).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelError);
    expect((error as ChannelError).kind).toBe('reconnect');
    expect((error as ChannelError).retryable).toBe(false);
    expect((error as Error).message).toContain('"slots.0.start"');
    expect(fs.existsSync(dayDir())).toBe(false);
  });

  test("the day's programme, .txt and .docx, is rebuilt once a burst is over and lists every script of it", async () => {
    const radio = adapter({ docxDelayMs: 60_000 });
    const posts = Array.from({ length: 12 }, (_, n) => post(n + 1, `07:${String(n + 10)}`, 'thong-thuong', PLAN));
    for (const p of posts) {
      const outcome = await radio.publish(p, await radio.render(p));
      expect(outcome.status).toBe('sent');
    }
    // Not on each publish: nothing of the programme is written while the burst goes on.
    expect([fs.existsSync(`${dayDir()}.txt`), fs.existsSync(`${dayDir()}.docx`)]).toEqual([false, false]);
    await radio.flush();
    expect(posts.filter((p) => !programme().includes(`${p.item.title}.`))).toEqual([]);
    expect(fs.existsSync(`${dayDir()}.docx`)).toBe(true);
    // The day's stale mark goes once the programme lists the burst.
    expect(fs.readdirSync(path.dirname(dayDir())).filter((name) => name.endsWith('.stale'))).toEqual([]);
    if (HAS_UNZIP) {
      const xml = execFileSync('unzip', ['-p', `${dayDir()}.docx`, 'word/document.xml'], { encoding: 'utf8' });
      expect(posts.filter((p) => !xml.includes(`${p.item.title}.`))).toEqual([]);
    }
  });

  test('a worker stopped before its programme rebuild leaves the day marked stale, and the next one rebuilds it at start', async () => {
    const crashed = adapter({ docxDelayMs: 60_000 });
    const posts = Array.from({ length: 5 }, (_, n) => post(n + 1, `07:1${n}`, 'thong-thuong', PLAN));
    for (const p of posts) await crashed.publish(p, await crashed.render(p));
    // Never flushed: the process ends here, its rebuild never ran.
    const marks = () => fs.readdirSync(path.dirname(dayDir())).filter((name) => name.endsWith('.stale'));
    expect(marks()).toHaveLength(1);
    expect(fs.existsSync(`${dayDir()}.txt`)).toBe(false);
    // A worker's adapter (it has the database's services) repairs the day when it starts, with no publication.
    const services = {
      offAirAmong: async () => new Set<string>(),
      publishedBetween: async () => [],
    } as unknown as ChannelServices;
    const restarted = adapter({ docxDelayMs: 60_000, services });
    await restarted.flush();
    expect(posts.filter((p) => !programme().includes(`${p.item.title}.`))).toEqual([]);
    expect(fs.existsSync(`${dayDir()}.docx`)).toBe(true);
    expect(marks()).toEqual([]);
  });

  test("a programme rebuild that fails after the publish is said in the worker's log, not on stderr", async () => {
    const warnings: string[] = [];
    const services = { warn: (message: string) => warnings.push(message) } as unknown as ChannelServices;
    const radio = adapter({ docxDelayMs: 60_000, services });
    const p = post(1, '07:01', 'thong-thuong', PLAN);
    expect((await radio.publish(p, await radio.render(p))).status).toBe('sent');
    // A folder where the day's .docx goes: the rebuild cannot write it.
    fs.mkdirSync(`${dayDir()}.docx`, { recursive: true });
    const stderr = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await radio.flush();
      expect(stderr).not.toHaveBeenCalled();
    } finally {
      stderr.mockRestore();
    }
    expect(warnings).toEqual([expect.stringContaining('không ghi được chương trình phát ngày 23/11/2026')]);
  });

  test('publishing never runs espeak-ng: the preview is made on the first request', async () => {
    const counting = path.join(exportDir, 'counting-espeak');
    const calls = path.join(exportDir, 'calls');
    fs.writeFileSync(counting, `#!/bin/sh\necho x >> ${calls}\nexit 3\n`, { mode: 0o755 });
    const p = post(1, '07:00', 'thong-thuong', PLAN, { preview: true });
    const radio = adapter({ espeakCommand: counting });
    await publish(radio, p);
    expect(fs.existsSync(calls)).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(dayDir(), `0700-${p.publication.id}.json`), 'utf8')).preview).toEqual({
      kind: 'on-request',
    });
    await radio.audioPreview(p.publication, p.channel);
    expect(fs.readFileSync(calls, 'utf8')).toBe('x\n');
  });

  test('without espeak-ng the script is published and its preview says there is none', async () => {
    const p = post(1, '07:00', 'thong-thuong', PLAN, { preview: true });
    const radio = adapter({ espeakCommand: path.join(exportDir, 'no-such-espeak') });
    await publish(radio, p);
    expect(await radio.audioPreview(p.publication, p.channel)).toEqual({
      unavailable: 'máy chưa cài espeak-ng: không có bản nghe thử WAV',
    });
    expect(fs.readdirSync(dayDir()).filter((n) => n.endsWith('.wav'))).toEqual([]);
  });

  test('a broken espeak-ng is a reason, not a failure, and leaves no temporary file', async () => {
    const broken = path.join(exportDir, 'broken-espeak');
    fs.writeFileSync(broken, '#!/bin/sh\necho "giọng vi hỏng" >&2\nexit 3\n', { mode: 0o755 });
    const p = post(1, '07:00', 'thong-thuong', PLAN, { preview: true });
    const radio = adapter({ espeakCommand: broken });
    await publish(radio, p);
    expect(await radio.audioPreview(p.publication, p.channel)).toEqual({
      unavailable: 'không tạo được bản nghe thử WAV (giọng vi hỏng)',
    });
    expect(fs.readdirSync(dayDir()).sort()).toEqual([`0700-${p.publication.id}.json`, `0700-${p.publication.id}.txt`]);
  });

  test('a hung espeak-ng is stopped at the timeout', async () => {
    const hung = path.join(exportDir, 'hung-espeak');
    fs.writeFileSync(hung, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    const p = post(1, '07:00', 'thong-thuong', PLAN, { preview: true });
    const radio = adapter({ espeakCommand: hung, previewTimeoutMs: 300 });
    await publish(radio, p);
    const started = Date.now();
    expect(await radio.audioPreview(p.publication, p.channel)).toEqual({
      unavailable: 'không tạo được bản nghe thử WAV (espeak-ng chạy quá 0,3 giây, đã dừng)',
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('no preview before the script is published, nor when the station has turned previews off', async () => {
    const p = post(1, '07:00', 'thong-thuong', PLAN, { preview: true });
    expect(await adapter().audioPreview(p.publication, p.channel)).toEqual({
      unavailable: 'bài này chưa có kịch bản phát thanh (chưa đăng)',
    });
    const off = post(2, '07:00', 'thong-thuong', PLAN);
    await publish(adapter(), off);
    expect(await adapter().audioPreview(off.publication, off.channel)).toEqual({
      unavailable: 'đài "Đài truyền thanh xã Tân Lập" đã tắt bản nghe thử (preview: false)',
    });
  });

  (HAS_ESPEAK ? test : test.skip)(
    'with espeak-ng a published script has a WAV preview in its voice, made once and kept',
    async () => {
      const p = post(1, '07:00', 'thong-thuong', PLAN, { preview: true });
      await publish(adapter(), p);
      const answer = await adapter().audioPreview(p.publication, p.channel);
      const wav = path.join(dayDir(), `0700-${p.publication.id}.wav`);
      expect(answer).toEqual({ file: wav, contentType: 'audio/wav' });
      const bytes = fs.readFileSync(wav);
      expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
      expect(bytes.subarray(8, 12).toString('latin1')).toBe('WAVE');
      expect(bytes.length).toBeGreaterThan(20_000);
      expect(programme()).not.toContain('WAV');
      await publish(adapter(), p);
      await adapter().audioPreview(p.publication, p.channel);
      expect(fs.readFileSync(wav).equals(bytes)).toBe(true);
    },
  );
});

describe('radio programme edge cases', () => {
  const nextDayDir = () => path.join(exportDir, 'radio', 'dai-xa', '2026-11-24');

  test('a late-evening post goes to the next morning, not into the afternoon that has aired; the programme says so', async () => {
    const late = post(7, '21:30', 'thong-thuong', 'Thông báo lịch tiếp công dân.');
    const result = await publish(adapter(), late);
    expect(result.externalId).toBe(path.join('radio', 'dai-xa', '2026-11-24', `2130-${late.publication.id}.txt`));
    expect(fs.existsSync(dayDir())).toBe(false);
    const text = fs.readFileSync(`${nextDayDir()}.txt`, 'utf8');
    expect(text).toContain('CHƯƠNG TRÌNH PHÁT THANH NGÀY 24/11/2026');
    expect(text).toMatch(/BUỔI SÁNG — 06:00/);
    expect(text).not.toContain('BUỔI CHIỀU');
    expect(text).toContain(
      '- “Bài 7”: đăng lúc 21:30, sau buổi phát cuối trong ngày (Buổi chiều 17:00): đọc ở Buổi sáng (06:00) ngày 24/11/2026',
    );
  });

  test('a morning post after its slot began goes to the next slot with a warning, never silently into the aired one', async () => {
    const radio = adapter();
    await publish(radio, post(1, '06:00', 'thong-thuong', 'Bài đúng giờ.'));
    await publish(radio, post(2, '06:40', 'uu-tien', 'Bài đến muộn.'));
    const text = programme();
    const afternoon = text.indexOf('BUỔI CHIỀU');
    expect(text.indexOf('Bài 1.')).toBeLessThan(afternoon);
    expect(text.indexOf('Bài 2.')).toBeGreaterThan(afternoon);
    expect(text).toContain('- “Bài 2”: đăng lúc 06:40, khi Buổi sáng (06:00) đã bắt đầu: đọc ở Buổi chiều (17:00)');
    expect(text).not.toContain('“Bài 1”: đăng lúc');
  });

  test('the day programme rebuilt after the export folder was deleted keeps the earlier scripts, restored from the database', async () => {
    const stored: Array<{
      publicationId: string;
      scheduledAt: Date;
      title: string;
      priority: Priority;
      content: string;
    }> = [];
    const services = {
      readSecret: async () => null,
      replaceSecret: async () => false,
      holdAccount: async () => undefined,
      // What the worker's store answers: the published posts of the channel in the window, exactly as sent.
      publishedBetween: async (_channel: string, from: Date, to: Date) =>
        stored.filter((s) => s.scheduledAt >= from && s.scheduledAt < to),
    };
    const radio = adapter({ services });
    const first = post(1, '05:30', 'khan-cap', 'Bão số 3 đổ bộ lúc 14h30.');
    const firstOutcome = await publish(radio, first);
    stored.push({
      publicationId: first.publication.id,
      scheduledAt: first.publication.scheduledAt,
      title: 'Bài 1',
      priority: 'khan-cap',
      content: firstOutcome.content,
    });
    const firstScript = fs.readFileSync(path.join(exportDir, firstOutcome.externalId), 'utf8');

    fs.rmSync(exportDir, { recursive: true, force: true });
    await publish(radio, post(2, '16:00', 'thong-thuong', 'Nộp hồ sơ qua VNeID.'));
    const text = programme();
    expect(text.indexOf('Bài 1.')).toBeGreaterThan(text.indexOf('BUỔI SÁNG'));
    expect(text.indexOf('Bài 1.')).toBeLessThan(text.indexOf('BUỔI CHIỀU'));
    expect(text).toContain('Mức ưu tiên: KHẨN CẤP · Bài 1.');
    expect(text).toContain('Bài 2.');
    expect(text).toContain('“Bài 1”: khôi phục từ cơ sở dữ liệu: tệp kịch bản đã mất');
    expect(fs.readFileSync(path.join(exportDir, firstOutcome.externalId), 'utf8')).toBe(firstScript);
  });
});

describe('the day programme kept between rebuilds', () => {
  test('a script written again under its name by another process (an edited item published after a failed try) shows in the next rebuild', async () => {
    const mine = adapter();
    await publish(mine, post(1, '05:35', 'thong-thuong', 'Bà con nộp hồ sơ trực tuyến.'));
    await publish(mine, post(2, '05:40', 'thong-thuong', 'Bà con tra cứu kết quả trên Cổng dịch vụ công.'));
    expect(programme()).toContain('Bài 1');
    // Another worker publishes item 1 again after it was edited: same publication, same file names, new text.
    const edited = post(1, '05:35', 'thong-thuong', 'Bà con mang căn cước khi đến nhận kết quả.');
    edited.item.title = 'Bài 1 đã sửa';
    await publish(adapter(), edited);
    // This worker's next rebuild (for another script) must read the new sidecar, not the one it kept.
    await publish(mine, post(3, '05:45', 'thong-thuong', 'Bà con phản ánh, kiến nghị qua Zalo.'));
    expect(programme()).toContain('Bài 1 đã sửa');
    expect(flat(programme())).toContain('căn cước');
    expect(flat(programme())).not.toContain('nộp hồ sơ trực tuyến');
  });
});
