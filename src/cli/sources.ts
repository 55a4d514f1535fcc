import type { Command } from 'commander';
import { ValidationError } from '../domain/errors';
import { formatProposal, parseProposals, SOURCE_STATE_LABELS, type Source } from '../domain/source';
import { nfc } from '../domain/text';
import { formatLocal } from '../domain/time';
import type { Db } from '../store';
import { getChannel } from '../store/channels';
import { getPlan } from '../store/plans';
import { schedulePublications } from '../store/publications';
import { confirmFeedDraft, listFeedDrafts, markSlotsConfirmed } from '../store/source-entries';
import { addSource, getSource, listSources, removeSource } from '../store/sources';
import { getUnit } from '../store/units';
import { AS_OPTION, actor, config, lazy, printJson, wholeNumber, withStore } from './context';
import { formatTable } from './table';

function showSources(sources: Source[]): void {
  if (sources.length === 0) return console.log('Chưa có nguồn tin nào (thêm: loa sources add URL --unit ĐƠN_VỊ).');
  console.log(
    formatTable(
      sources.map((s) => ({
        ...s,
        stateLabel: SOURCE_STATE_LABELS[s.state],
        polled: s.polledAt ? formatLocal(s.polledAt) : '—',
        every: `${s.everyMinutes} phút`,
        proposalText: s.proposals.map(formatProposal).join(', '),
      })),
      [['id', 'Số'], ['unitId', 'Đơn vị', 24], ['url', 'Địa chỉ', 50], ['every', 'Đọc mỗi'], ['stateLabel', 'Tình trạng'], ['polled', 'Đọc lúc'], ['status', 'Kết quả lần đọc gần nhất', 120], ['proposalText', 'Đề xuất lịch', 40]],
    ),
  );
}

/** The job scheduler side of add/remove, when Redis answers; otherwise `loa worker` catches up when it starts. */
async function withPollQueue(work: (queue: import('../queue/source-polls').SourcePollQueue) => Promise<void>): Promise<void> {
  const { redisReachable } = lazy<typeof import('../queue/redis')>('../queue/redis');
  if (!(await redisReachable(config.redisUrl))) {
    console.log('Redis chưa chạy: đã lưu trong cơ sở dữ liệu; "loa worker" sẽ cập nhật lịch đọc khi chạy.');
    return;
  }
  const { SourcePollQueue } = lazy<typeof import('../queue/source-polls')>('../queue/source-polls');
  const queue = new SourcePollQueue(config.redisUrl, config.queuePrefix);
  try {
    await work(queue);
  } finally {
    await queue.close();
  }
}

function checkFeedUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(nfc(text).trim());
  } catch {
    throw new ValidationError('URL', `"${text}" không phải địa chỉ web đầy đủ, ví dụ https://sonoivu.tinh.gov.vn/rss/cai-cach-hanh-chinh.rss`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ValidationError('URL', 'phải bắt đầu bằng http:// hoặc https://');
  if (url.username || url.password) throw new ValidationError('URL', 'không được chứa tên đăng nhập hay mật khẩu');
  return url.href;
}

async function confirmDrafts(db: Db, itemIds: number[], who: string, area: string | undefined, withSlots: boolean): Promise<void> {
  for (const itemId of itemIds) {
    const { slots, slotsConfirmed } = await confirmFeedDraft(db.kysely, itemId, who, area);
    console.log(`Đã xác nhận lĩnh vực của bản nháp số ${itemId}.`);
    if (!withSlots || slotsConfirmed || slots.length === 0) continue;
    const now = Date.now();
    const future = slots.filter((s) => s.at.getTime() > now);
    for (const s of slots.filter((s) => s.at.getTime() <= now)) console.log(`Bỏ đề xuất ${s.channelId} lúc ${formatLocal(s.at)}: giờ đó đã qua (lên lịch khác bằng loa queue).`);
    for (const s of future) await getChannel(db.kysely, s.channelId);
    const { created } = await schedulePublications(db.kysely, future.map((s) => ({ itemId, channelId: s.channelId, scheduledAt: s.at })), who);
    await markSlotsConfirmed(db.kysely, itemId, who);
    for (const p of created) console.log(`Đã lên lịch ${p.id}: ${p.channelId} lúc ${formatLocal(p.scheduledAt)} (cần được duyệt trước giờ đăng).`);
  }
}

export function register(program: Command): void {
  const sources = program.command('sources').description('nguồn tin RSS/Atom: tin mới thành bản nháp chờ duyệt');

  sources
    .command('list', { isDefault: true })
    .description('các nguồn tin và tình trạng lần đọc gần nhất')
    .option('--json', 'in dạng JSON')
    .action(async (options: { json?: boolean }) => {
      const all = await withStore((db) => listSources(db.kysely));
      if (options.json) printJson(all);
      else showSources(all);
    });

  sources
    .command('add')
    .description('thêm một nguồn tin (RSS 2.0 hoặc Atom) cho một đơn vị')
    .argument('<URL>', 'địa chỉ nguồn tin, ví dụ chuyên mục cải cách hành chính của cổng thông tin')
    .requiredOption('--unit <đơn vị>', 'đơn vị nhận tin (mã hoặc tên, xem: loa units)')
    .option('--plan <số>', 'kế hoạch gắn tin vào (mặc định: kế hoạch mới nhất lúc đọc)', wholeNumber('--plan'))
    .option('--moi <phút>', 'đọc mỗi bao nhiêu phút', wholeNumber('--moi'))
    .option('--de-xuat <lịch>', 'đề xuất kênh và giờ đăng, cán bộ xác nhận mới áp dụng; ví dụ "radio +1d 07:00, zalo 18:00"')
    .option(...AS_OPTION)
    .action(async (address: string, options: { unit: string; plan?: number; moi?: number; deXuat?: string; as?: string }) => {
      const who = actor(options);
      const url = checkFeedUrl(address);
      const proposals = parseProposals(options.deXuat ?? '', '--de-xuat');
      const { sourceSettings } = lazy<typeof import('../sources/settings')>('../sources/settings');
      const everyMinutes = options.moi ?? sourceSettings.everyMinutes;
      const source = await withStore(async (db) => {
        const unit = await getUnit(db.kysely, options.unit);
        if (options.plan !== undefined) await getPlan(db.kysely, options.plan);
        for (const p of proposals) {
          const channel = await getChannel(db.kysely, p.channelId);
          if (channel.unitId !== unit.id) throw new ValidationError('--de-xuat', `kênh "${p.channelId}" thuộc đơn vị khác (${channel.unitId})`);
        }
        return addSource(db.kysely, { url, unitId: unit.id, planId: options.plan ?? null, everyMinutes, proposals }, who);
      });
      console.log(`Đã thêm nguồn tin số ${source.id} cho ${source.unitId}: ${source.url} (đọc mỗi ${source.everyMinutes} phút).`);
      await withPollQueue((queue) => queue.schedule(source, sourceSettings.pollEveryMs(source)));
    });

  sources
    .command('poll')
    .description('đọc ngay tất cả nguồn tin (hoặc các nguồn được nêu) một lần')
    .argument('[số...]', 'số của các nguồn (mặc định: tất cả)')
    .action(async (ids: string[]) => {
      const { pollSource } = lazy<typeof import('../sources/poll-source')>('../sources/poll-source');
      await withStore(async (db) => {
        const wanted = ids.length ? await Promise.all(ids.map((id) => getSource(db.kysely, wholeNumber('số')(id)))) : await listSources(db.kysely);
        if (wanted.length === 0) console.log('Chưa có nguồn tin nào.');
        for (const source of wanted) {
          const report = await pollSource(db.kysely, source.id, { force: true });
          if (report.outcome === 'not-polled') console.log(`Nguồn ${source.id}: đang được đọc ở nơi khác, bỏ qua lần này.`);
          else console.log(`Nguồn ${source.id}: ${report.status}`);
          if (report.outcome === 'failed') process.exitCode = 1;
        }
      });
    });

  sources
    .command('remove')
    .description('bỏ một nguồn tin (các bản nháp đã lấy vẫn giữ)')
    .argument('<số>', 'số của nguồn', wholeNumber('số'))
    .option(...AS_OPTION)
    .action(async (id: number, options: { as?: string }) => {
      actor(options);
      const source = await withStore((db) => removeSource(db.kysely, id));
      console.log(`Đã bỏ nguồn tin số ${source.id} (${source.url}).`);
      await withPollQueue((queue) => queue.unschedule(source.id));
    });

  sources
    .command('drafts')
    .description('bản nháp lấy từ nguồn tin: lĩnh vực và lịch đăng Loa đề xuất')
    .option('--source <số>', 'chỉ của một nguồn', wholeNumber('--source'))
    .option('--chua-xac-nhan', 'chỉ những bản nháp chưa xác nhận lĩnh vực')
    .option('--json', 'in dạng JSON')
    .action(async (options: { source?: number; chuaXacNhan?: boolean; json?: boolean }) => {
      const drafts = await withStore((db) => listFeedDrafts(db.kysely, { sourceId: options.source, pending: options.chuaXacNhan }));
      if (options.json) return printJson(drafts);
      if (drafts.length === 0) return console.log('Chưa có bản nháp nào từ nguồn tin.');
      console.log(
        formatTable(
          drafts.map((d) => ({
            ...d,
            area: d.areaConfirmedBy ? d.areaKey : `${d.areaKey} (đề xuất)`,
            slotText: d.slots.map((s) => `${s.channelId} ${formatLocal(s.at)}`).join(', ') + (d.slots.length && !d.slotsConfirmedBy ? ' (đề xuất)' : ''),
            published: d.publishedAt ? formatLocal(d.publishedAt) : '—',
            approval: d.approved ? 'đã duyệt' : 'chưa duyệt',
          })),
          [['itemId', 'Số'], ['title', 'Tiêu đề', 50], ['published', 'Đăng ở nguồn'], ['area', 'Lĩnh vực', 34], ['slotText', 'Lịch đăng', 50], ['approval', 'Duyệt']],
        ),
      );
    });

  sources
    .command('confirm')
    .description('xác nhận lĩnh vực (và lịch đăng đề xuất) của bản nháp từ nguồn tin; vẫn cần duyệt trước khi đăng')
    .argument('<số...>', 'số của các bản nháp (xem: loa sources drafts)')
    .option('--area <lĩnh vực>', 'đổi lĩnh vực thay vì nhận đề xuất, ví dụ thu-tuc-hanh-chinh')
    .option('--khong-lich', 'không nhận lịch đăng đề xuất')
    .option(...AS_OPTION)
    .action(async (ids: string[], options: { area?: string; khongLich?: boolean; as?: string }) => {
      const who = actor(options);
      await withStore((db) => confirmDrafts(db, ids.map((id) => wholeNumber('số')(id)), who, options.area, !options.khongLich));
    });
}
