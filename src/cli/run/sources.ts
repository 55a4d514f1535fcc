import { ValidationError } from '../../domain/errors';
import { formatProposal, parseProposals, type Source, SOURCE_STATE_LABELS } from '../../domain/source';
import { nfc } from '../../domain/text';
import { formatLocal } from '../../domain/time';
import type { Db } from '../../store';
import { getChannel } from '../../store/channels';
import { getPlan } from '../../store/plans';
import { schedulePublications } from '../../store/publications';
import { confirmFeedDraft, listFeedDrafts, markSlotsConfirmed } from '../../store/source-entries';
import { addSource, getSource, listSources, removeSource } from '../../store/sources';
import { getUnit } from '../../store/units';
import { actor, config, printJson, wholeNumber, withStore } from '../context';
import { formatTable } from '../table';

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
      [
        ['id', 'Số'],
        ['unitId', 'Đơn vị', 24],
        ['url', 'Địa chỉ', 50],
        ['every', 'Đọc mỗi'],
        ['stateLabel', 'Tình trạng'],
        ['polled', 'Đọc lúc'],
        ['status', 'Kết quả lần đọc gần nhất', 120],
        ['proposalText', 'Đề xuất lịch', 40],
      ],
    ),
  );
}

/** The job scheduler side of add/remove, when Redis answers; otherwise `loa worker` catches up when it starts. */
async function withPollQueue(
  work: (queue: import('../../queue/source-polls').SourcePollQueue) => Promise<void>,
): Promise<void> {
  const { redisReachable } = require('../../queue/redis') as typeof import('../../queue/redis');
  if (!(await redisReachable(config.redisUrl))) {
    console.log('Redis chưa chạy: đã lưu trong cơ sở dữ liệu; "loa worker" sẽ cập nhật lịch đọc khi chạy.');
    return;
  }
  const { SourcePollQueue } = require('../../queue/source-polls') as typeof import('../../queue/source-polls');
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
    throw new ValidationError(
      'URL',
      `"${text}" không phải địa chỉ web đầy đủ, ví dụ https://sonoivu.tinh.gov.vn/rss/cai-cach-hanh-chinh.rss`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ValidationError('URL', 'phải bắt đầu bằng http:// hoặc https://');
  if (url.username || url.password) throw new ValidationError('URL', 'không được chứa tên đăng nhập hay mật khẩu');
  return url.href;
}

async function confirmDrafts(
  db: Db,
  itemIds: number[],
  who: string,
  area: string | undefined,
  withSlots: boolean,
): Promise<void> {
  for (const itemId of itemIds) {
    const { slots, slotsConfirmed } = await confirmFeedDraft(db.kysely, itemId, who, area);
    console.log(`Đã xác nhận lĩnh vực của bản nháp số ${itemId}.`);
    if (!withSlots || slotsConfirmed || slots.length === 0) continue;
    const now = Date.now();
    const future = slots.filter((s) => s.at.getTime() > now);
    for (const s of slots.filter((s) => s.at.getTime() <= now))
      console.log(`Bỏ đề xuất ${s.channelId} lúc ${formatLocal(s.at)}: giờ đó đã qua (lên lịch khác bằng loa queue).`);
    for (const s of future) await getChannel(db.kysely, s.channelId);
    const { created } = await schedulePublications(
      db.kysely,
      future.map((s) => ({ itemId, channelId: s.channelId, scheduledAt: s.at })),
      who,
    );
    await markSlotsConfirmed(db.kysely, itemId, who);
    for (const p of created)
      console.log(
        `Đã lên lịch ${p.id}: ${p.channelId} lúc ${formatLocal(p.scheduledAt)} (cần được duyệt trước giờ đăng).`,
      );
  }
}

/** `loa sources list` */
export async function sourcesList(options: { json?: boolean }): Promise<void> {
  const all = await withStore((db) => listSources(db.kysely));
  if (options.json) printJson(all);
  else showSources(all);
}

/** `loa sources add` */
export async function sourcesAdd(
  address: string,
  options: { unit: string; plan?: number; moi?: number; deXuat?: string; as?: string },
): Promise<void> {
  const who = actor(options);
  const url = checkFeedUrl(address);
  const proposals = parseProposals(options.deXuat ?? '', '--de-xuat');
  const { sourceSettings } = require('../../sources/settings') as typeof import('../../sources/settings');
  const everyMinutes = options.moi ?? sourceSettings.everyMinutes;
  const source = await withStore(async (db) => {
    const unit = await getUnit(db.kysely, options.unit);
    if (options.plan !== undefined) await getPlan(db.kysely, options.plan);
    for (const p of proposals) {
      const channel = await getChannel(db.kysely, p.channelId);
      if (channel.unitId !== unit.id)
        throw new ValidationError('--de-xuat', `kênh "${p.channelId}" thuộc đơn vị khác (${channel.unitId})`);
    }
    return addSource(db.kysely, { url, unitId: unit.id, planId: options.plan ?? null, everyMinutes, proposals }, who);
  });
  console.log(
    `Đã thêm nguồn tin số ${source.id} cho ${source.unitId}: ${source.url} (đọc mỗi ${source.everyMinutes} phút).`,
  );
  await withPollQueue((queue) => queue.schedule(source, sourceSettings.pollEveryMs(source)));
}

/** `loa sources poll` */
export async function sourcesPoll(ids: string[]): Promise<void> {
  const { pollSource } = require('../../sources/poll-source') as typeof import('../../sources/poll-source');
  await withStore(async (db) => {
    const wanted = ids.length
      ? await Promise.all(ids.map((id) => getSource(db.kysely, wholeNumber('số')(id))))
      : await listSources(db.kysely);
    if (wanted.length === 0) console.log('Chưa có nguồn tin nào.');
    for (const source of wanted) {
      const report = await pollSource(db.kysely, source.id, { force: true });
      if (report.outcome === 'not-polled') console.log(`Nguồn ${source.id}: đang được đọc ở nơi khác, bỏ qua lần này.`);
      else console.log(`Nguồn ${source.id}: ${report.status}`);
      if (report.outcome === 'failed') process.exitCode = 1;
    }
  });
}

/** `loa sources remove` */
export async function sourcesRemove(id: number, options: { as?: string }): Promise<void> {
  actor(options);
  const source = await withStore((db) => removeSource(db.kysely, id));
  console.log(`Đã bỏ nguồn tin số ${source.id} (${source.url}).`);
  await withPollQueue((queue) => queue.unschedule(source.id));
}

/** `loa sources drafts` */
export async function sourcesDrafts(options: {
  source?: number;
  chuaXacNhan?: boolean;
  json?: boolean;
}): Promise<void> {
  const drafts = await withStore((db) =>
    listFeedDrafts(db.kysely, { sourceId: options.source, pending: options.chuaXacNhan }),
  );
  if (options.json) return printJson(drafts);
  if (drafts.length === 0) return console.log('Chưa có bản nháp nào từ nguồn tin.');
  console.log(
    formatTable(
      drafts.map((d) => ({
        ...d,
        area: d.areaConfirmedBy ? d.areaKey : `${d.areaKey} (đề xuất)`,
        slotText:
          d.slots.map((s) => `${s.channelId} ${formatLocal(s.at)}`).join(', ') +
          (d.slots.length && !d.slotsConfirmedBy ? ' (đề xuất)' : ''),
        published: d.publishedAt ? formatLocal(d.publishedAt) : '—',
        approval: d.approved ? 'đã duyệt' : 'chưa duyệt',
      })),
      [
        ['itemId', 'Số'],
        ['title', 'Tiêu đề', 50],
        ['published', 'Đăng ở nguồn'],
        ['area', 'Lĩnh vực', 34],
        ['slotText', 'Lịch đăng', 50],
        ['approval', 'Duyệt'],
      ],
    ),
  );
}

/** `loa sources confirm` */
export async function sourcesConfirm(
  ids: string[],
  options: { area?: string; khongLich?: boolean; as?: string },
): Promise<void> {
  const who = actor(options);
  await withStore((db) =>
    confirmDrafts(
      db,
      ids.map((id) => wholeNumber('số')(id)),
      who,
      options.area,
      !options.khongLich,
    ),
  );
}
