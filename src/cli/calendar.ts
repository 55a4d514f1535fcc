import type { Command } from 'commander';
import { CONTENT_AREAS } from '../domain/plan';
import { applyCalendarAs, isoDay } from '../actions/plans';
import { proposeCalendar } from '../importer';
import { getPlan } from '../store/plans';
import { AS_OPTION, cliActor, config, printJson, wholeNumber, withStore } from './context';
import { formatTable } from './table';

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
      const who = options.apply ? cliActor(options) : null;
      await withStore(async (db) => {
        const plan = await getPlan(db.kysely, planId);
        const proposal = proposeCalendar(plan.structure, { from: isoDay(options.from, '--from'), to: isoDay(options.to, '--to') });
        if (options.json) printJson(proposal);
        else {
          console.log(`Đề xuất ${proposal.items.length} nội dung, ${proposal.slots.length} lượt đăng cho kế hoạch ${plan.code ?? plan.id}:`);
          const titleOf = new Map(proposal.items.map((i) => [i.id, `${CONTENT_AREAS[i.areaKey]}: ${i.title}`]));
          console.log(formatTable(proposal.slots.map((s) => ({ ...s, title: titleOf.get(s.itemId) })), [['at', 'Thời điểm'], ['platform', 'Kênh'], ['title', 'Nội dung', 60], ['reason', 'Lý do', 50]]));
        }
        if (!options.apply) return;
        const applied = await applyCalendarAs(db.kysely, who!, planId, proposal, options.unit);
        console.log(`Đã lưu ${applied.items.length} bản nháp và ${applied.publications.length} lượt đăng. Duyệt bằng: loa approve --plan ${planId}`);
        if (applied.missingPlatforms.length) console.log(`Chưa có kênh cho: ${applied.missingPlatforms.join(', ')} (các lượt đó không được lưu).`);
      });
    });
}
