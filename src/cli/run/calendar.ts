import { PLATFORMS } from '../../../channels';
import { applyCalendarAs, calendarPeriod } from '../../actions/plans';
import { localToday } from '../../domain/clock';
import { CONTENT_AREAS } from '../../domain/plan';
import { formatLocal } from '../../domain/time';
import { calendarGaps, proposeCalendar } from '../../importer';
import { getPlan } from '../../store/plans';
import { cliActor, printJson, withParts } from '../context';
import { formatTable } from '../table';

/** `loa calendar` */
export async function calendar(
  planId: number,
  options: { from: string; to: string; unit: string; apply?: boolean; json?: boolean; as?: string },
): Promise<void> {
  const who = options.apply ? cliActor(options) : null;
  await withParts(async ({ db, clock }) => {
    const plan = await getPlan(db.kysely, planId);
    const proposal = proposeCalendar(plan.structure, {
      ...calendarPeriod(options.from, options.to, '--from', '--to'),
      platforms: PLATFORMS,
      // Nothing is proposed before today on the process's clock; the days cut off are said in the warnings.
      today: localToday(clock),
    });
    const gaps = proposal.items.length === 0 ? calendarGaps(plan.structure) : [];
    if (options.json) printJson(gaps.length > 0 ? { ...proposal, gaps } : proposal);
    else if (gaps.length > 0) {
      console.log(`Không đề xuất được nội dung nào cho kế hoạch ${plan.code ?? plan.id}:`);
      for (const gap of gaps) console.log(`  - ${gap}`);
    } else {
      console.log(
        `Đề xuất ${proposal.items.length} nội dung, ${proposal.slots.length} lượt đăng cho kế hoạch ${plan.code ?? plan.id}:`,
      );
      const titleOf = new Map(proposal.items.map((i) => [i.id, `${CONTENT_AREAS[i.areaKey]}: ${i.title}`]));
      // Shown like every other command: Vietnam time, dd/MM/yyyy HH:mm (the JSON keeps ISO with its offset).
      const rows = proposal.slots.map((s) => ({ ...s, at: formatLocal(new Date(s.at)), title: titleOf.get(s.itemId) }));
      console.log(
        formatTable(rows, [
          ['at', 'Thời điểm'],
          ['platform', 'Kênh'],
          ['title', 'Nội dung', 60],
          ['reason', 'Lý do', 50],
        ]),
      );
    }
    if (!options.json) for (const warning of proposal.warnings) console.error(`Lưu ý: ${warning}`);
    if (!options.apply) return;
    const applied = await applyCalendarAs(db.kysely, who!, planId, proposal, options.unit);
    const already =
      applied.existingItems + applied.existingPublications > 0
        ? ` (đã có từ trước: ${applied.existingItems} bản nháp, ${applied.existingPublications} lượt đăng, không thêm lại)`
        : '';
    console.log(
      `Đã lưu ${applied.items.length} bản nháp và ${applied.publications.length} lượt đăng${already}. Duyệt bằng: loa approve --plan ${planId}`,
    );
    if (applied.missingPlatforms.length)
      console.log(`Chưa có kênh cho: ${applied.missingPlatforms.join(', ')} (các lượt đó không được lưu).`);
  });
}
