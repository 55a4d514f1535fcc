import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { RadioAdapter } from '../../channels/radio/radio-adapter';
import { Templates } from '../../channels/template';
import type { PostContext } from '../../channels/types';

const TEMPLATES = path.resolve(__dirname, '../../templates');

/** Publication n of station "dai-xa" on 23/11/2026, minutes apart from 06:00 Vietnam time. */
function post(n: number): PostContext {
  const scheduledAt = new Date(Date.UTC(2026, 10, 22, 23, n));
  const now = new Date('2026-11-20T00:00:00Z');
  return {
    publication: {
      id: `i${n}-dai-xa-${n}`,
      itemId: n,
      channelId: 'dai-xa',
      scheduledAt,
      state: 'publishing',
      reason: null,
      content: null,
      externalId: null,
      externalUrl: null,
      attempts: 1,
      queuedBy: 'kiểm thử',
      claimedBy: null,
      leaseUntil: null,
      publishedAt: null,
      createdAt: now,
      updatedAt: now,
    },
    item: {
      id: n,
      planId: 1,
      areaKey: 'thu-tuc-hanh-chinh',
      unitId: 'ubnd',
      title: `Bài ${n}`,
      body: `Nội dung bài số ${n}.`,
      link: null,
      image: null,
      priority: 'thong-thuong',
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
      settings: { preview: false },
    },
    unit: { id: 'ubnd', name: 'UBND xã Tân Lập' },
    areaName: 'Thủ tục hành chính',
  };
}

/** Templates that take their time over the programme's opening: a worker busy building while another one writes. */
class SlowTemplates extends Templates {
  override async render(name: string, data: Record<string, unknown>): Promise<string> {
    if (name === 'radio-opening.liquid') await new Promise((resolve) => setTimeout(resolve, 300));
    return super.render(name, data);
  }
}

test('a programme built while another worker adds a script is built again, so no entry is lost', async () => {
  const exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-radio-race-'));
  try {
    // No delay: each rebuilds its programme as soon as its publish is done.
    const slow = new RadioAdapter(new SlowTemplates(TEMPLATES), exportDir, { docxDelayMs: 0 });
    const fast = new RadioAdapter(new Templates(TEMPLATES), exportDir, { docxDelayMs: 0 });
    await slow.publish(post(1), await slow.render(post(1)));
    await new Promise((resolve) => setTimeout(resolve, 100)); // the slow one has read the folder and is building
    await fast.publish(post(2), await fast.render(post(2)));
    await fast.flush(); // the fast one's programme is written first, the slow one's last
    await slow.flush();
    const programme = fs.readFileSync(path.join(exportDir, 'radio', 'dai-xa', '2026-11-23.txt'), 'utf8');
    expect([programme.includes('Bài 1.'), programme.includes('Bài 2.')]).toEqual([true, true]);
  } finally {
    fs.rmSync(exportDir, { recursive: true, force: true });
  }
});

test('two workers publishing one station day at once never lose an entry of its programme', async () => {
  const exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-radio-race-'));
  try {
    // Two adapters over one export folder stand for two worker processes: they share nothing but the files.
    const workers = [
      new RadioAdapter(new Templates(TEMPLATES), exportDir),
      new RadioAdapter(new Templates(TEMPLATES), exportDir),
    ];
    const posts = Array.from({ length: 24 }, (_, i) => post(i + 1));
    await Promise.all(posts.map(async (p, i) => workers[i % 2]!.publish(p, await workers[i % 2]!.render(p))));
    await Promise.all(workers.map((w) => w.flush()));
    const programme = fs.readFileSync(path.join(exportDir, 'radio', 'dai-xa', '2026-11-23.txt'), 'utf8');
    const missing = posts.filter((p) => !programme.includes(`${p.item.title}.`)).map((p) => p.item.title);
    expect(missing).toEqual([]);
  } finally {
    fs.rmSync(exportDir, { recursive: true, force: true });
  }
});
