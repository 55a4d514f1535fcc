import type { Command } from 'commander';
import { DateTime } from 'luxon';
import type { Platform } from '../domain/channel';
import { ValidationError } from '../domain/errors';
import { CONTENT_AREAS } from '../domain/plan';
import { LOCAL_ZONE } from '../domain/time';
import { calendarGaps, proposeCalendar, type ProposedCalendar } from '../importer';
import type { Db } from '../store';
import { listChannels } from '../store/channels';
import { linkItemActivities } from '../store/item-activities';
import { addItems } from '../store/items';
import { getPlan } from '../store/plans';
import { schedulePublications, type Slot } from '../store/publications';
import { getUnit } from '../store/units';
import { AS_OPTION, actor, config, printJson, wholeNumber, withStore } from './context';
import { formatTable } from './table';

function isoDay(text: string, field: string): string {
  const day = DateTime.fromFormat(text, 'd/L/yyyy', { zone: LOCAL_ZONE });
  const parsed = day.isValid ? day : DateTime.fromISO(text, { zone: LOCAL_ZONE });
  if (!parsed.isValid) throw new ValidationError(field, `"${text}" không phải ngày hợp lệ (dùng 01/06/2026 hoặc 2026-06-01)`);
  return parsed.toISODate()!;
}

/**
 * Stores the proposal for officers to edit: draft items (not approved: nothing goes out until a supervisor
 * approves) and their publications on the unit's channels. Platforms the unit has no channel for are reported.
 */
export async function applyCalendar(db: Db, planId: number, proposal: ProposedCalendar, unitName: string, who: string) {
  const unit = await getUnit(db.kysely, unitName);
  const channels = await listChannels(db.kysely);
  const channelFor = (platform: Platform) => channels.find((c) => c.platform === platform && c.unitId === unit.id) ?? channels.find((c) => c.platform === platform);
  const created = await addItems(
    db.kysely,
    proposal.items.map((draft) => ({ plan: planId, area: draft.areaKey, unit: unit.id, title: draft.title, body: draft.body, link: null, image: null, priority: 'thong-thuong' as const })),
    who,
  );
  const itemIdOf = new Map(proposal.items.map((draft, i) => [draft.id, created[i]!.id]));
  const missing = new Set<string>();
  const slots: Slot[] = [];
  for (const slot of proposal.slots) {
    const channel = channelFor(slot.platform);
    if (!channel) missing.add(slot.platform);
    else slots.push({ itemId: itemIdOf.get(slot.itemId)!, channelId: channel.id, scheduledAt: new Date(slot.at) });
  }
  const { created: publications } = await schedulePublications(db.kysely, slots, who);
  for (const draft of proposal.items) {
    if (draft.activityLabels.length) await linkItemActivities(db.kysely, itemIdOf.get(draft.id)!, draft.activityLabels, who);
  }
  return { items: created, publications, missingPlatforms: [...missing] };
}

export function register(program: Command): void {
  program
    .command('calendar')
    .description('đề xuất lịch nội dung cho một khoảng thời gian từ lĩnh vực, kênh và thời gian của kế hoạch')
    .argument('<kế hoạch>', 'số kế hoạch trong Loa', wholeNumber('kế hoạch'))
    .requiredOption('--from <ngày>', 'ngày đầu, ví dụ 01/06/2026')
    .requiredOption('--to <ngày>', 'ngày cuối (tính cả ngày này)')
    .option('--unit <đơn vị>', 'đơn vị viết các nội dung (đặt sẵn bằng biến LOA_UNIT)', config.defaultUnit)
    .option('--apply', 'lưu các bản nháp và lịch đăng (chưa duyệt: cần duyệt trước khi đăng)')
    .option('--json', 'in đề xuất dạng JSON')
    .option(...AS_OPTION)
    .action(async (planId: number, options: { from: string; to: string; unit: string; apply?: boolean; json?: boolean; as?: string }) => {
      const who = options.apply ? actor(options) : '';
      await withStore(async (db) => {
        const plan = await getPlan(db.kysely, planId);
        const proposal = proposeCalendar(plan.structure, { from: isoDay(options.from, '--from'), to: isoDay(options.to, '--to') });
        const gaps = proposal.items.length === 0 ? calendarGaps(plan.structure) : [];
        if (options.json) printJson(gaps.length > 0 ? { ...proposal, gaps } : proposal);
        else if (gaps.length > 0) {
          console.log(`Không đề xuất được nội dung nào cho kế hoạch ${plan.code ?? plan.id}:`);
          for (const gap of gaps) console.log(`  - ${gap}`);
        } else {
          console.log(`Đề xuất ${proposal.items.length} nội dung, ${proposal.slots.length} lượt đăng cho kế hoạch ${plan.code ?? plan.id}:`);
          const titleOf = new Map(proposal.items.map((i) => [i.id, `${CONTENT_AREAS[i.areaKey]}: ${i.title}`]));
          console.log(formatTable(proposal.slots.map((s) => ({ ...s, title: titleOf.get(s.itemId) })), [['at', 'Thời điểm'], ['platform', 'Kênh'], ['title', 'Nội dung', 60], ['reason', 'Lý do', 50]]));
        }
        if (!options.apply) return;
        const applied = await applyCalendar(db, planId, proposal, options.unit, who);
        console.log(`Đã lưu ${applied.items.length} bản nháp và ${applied.publications.length} lượt đăng. Duyệt bằng: loa approve --plan ${planId}`);
        if (applied.missingPlatforms.length) console.log(`Chưa có kênh cho: ${applied.missingPlatforms.join(', ')} (các lượt đó không được lưu).`);
      });
    });
}
