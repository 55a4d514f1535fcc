import path from 'node:path';

import { PLATFORMS } from '../../../channels';
import { importPlanAs, proposedUnitsNote } from '../../actions/plans';
import { CONTENT_AREAS } from '../../domain/plan';
import { diffPlans, importPlanFile, type ImportReport, REPORT_FIELDS } from '../../importer';
import { listPlans } from '../../store/plans';
import { cliActor, printJson, withStore } from '../context';
import { formatTable } from '../table';

/** `loa import` */
export async function importPlan(file: string, options: { json?: boolean; as?: string }): Promise<void> {
  const who = cliActor(options);
  const imported = await importPlanFile(file, PLATFORMS);
  const outcome = await withStore((db) =>
    importPlanAs(db.kysely, who, {
      plan: imported.plan,
      sourceName: path.basename(file),
      sourceHash: imported.sourceHash,
    }),
  );
  if (options.json)
    return printJson({
      id: outcome.plan.id,
      outcome: outcome.kind,
      plan: imported.plan,
      report: imported.report,
      proposedUnits: outcome.proposedUnits,
    });
  const { plan } = outcome;
  const verb = { created: 'Đã nhập', unchanged: 'Đã có từ trước (không nhập lại)', updated: 'Đã cập nhật' }[
    outcome.kind
  ];
  console.log(`${verb} kế hoạch số ${plan.id} trong Loa: ${plan.code ?? '(không số)'} — ${plan.title}`);
  const s = imported.plan;
  const period = s.identity.period
    ? `giai đoạn ${s.identity.period.from}–${s.identity.period.to}`
    : `năm: ${s.identity.year ?? '(không ghi)'}`;
  console.log(`  Cơ quan ban hành: ${s.identity.issuer ?? '(không ghi)'}; ${period}`);
  if (s.identity.citedDocuments.length > 0)
    console.log(`  Văn bản được viện dẫn: ${s.identity.citedDocuments.map((d) => d.code.text).join(', ')}`);
  console.log(
    `  Lĩnh vực: ${[...new Set(s.contentAreas.map((a) => CONTENT_AREAS[a.key]))].join('; ') || '(không có)'}`,
  );
  console.log(
    `  Kênh của Loa: ${[...new Set(s.channels.flatMap((c) => (c.platform ? [PLATFORMS.label(c.platform)] : [])))].join(', ') || '(không có)'}`,
  );
  console.log(`  Hoạt động: ${s.activities.length}; đơn vị: ${s.units.length}; báo cáo: ${s.reporting.length}`);
  printReport(imported.report);
  const units = proposedUnitsNote(outcome.proposedUnits);
  if (units) console.log(`  ${units}`);
  if (outcome.kind === 'updated') {
    const changes = diffPlans(outcome.previous, s, PLATFORMS);
    console.log(`  Thay đổi so với bản trước (${changes.length}); các nội dung đã viết được giữ nguyên:`);
    for (const change of changes) console.log(`   - ${change.message}`);
  }
}

/** `loa plans` */
export async function plans(options: { json?: boolean }): Promise<void> {
  const plans = await withStore((db) => listPlans(db.kysely));
  if (options.json) return printJson(plans);
  if (plans.length === 0) return console.log('Chưa có kế hoạch nào. Nhập bằng: loa import TỆP');
  console.log(
    formatTable(
      plans.map((p) => ({ ...p })),
      [
        ['id', 'Số'],
        ['code', 'Ký hiệu'],
        ['title', 'Tên', 60],
        ['issuer', 'Cơ quan', 40],
        ['year', 'Năm'],
        ['importedBy', 'Người nhập'],
      ],
    ),
  );
}

/** What the importer could not read, so the officer knows what to check by hand. */
function printReport(report: ImportReport): void {
  if (report.emptyFields.length === 0 && report.unplaced.length === 0) return console.log('  Cần kiểm tra: không có.');
  if (report.emptyFields.length > 0) {
    console.log(
      `  Cần kiểm tra — văn bản không nêu hoặc Loa không đọc được: ${report.emptyFields.map((field) => REPORT_FIELDS[field]).join('; ')}`,
    );
  }
  if (report.unplaced.length > 0) {
    console.log(`  Cần kiểm tra — ${report.unplaced.length} câu chưa xếp được vào phần nào của kế hoạch:`);
    for (const sentence of report.unplaced)
      console.log(`   - ${sentence.length > 160 ? `${sentence.slice(0, 157)}...` : sentence}`);
  }
}
