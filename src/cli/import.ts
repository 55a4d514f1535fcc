import path from 'node:path';
import type { Command } from 'commander';
import { CONTENT_AREAS, PLATFORMS } from '../domain/plan';
import { diffPlans, importPlanFile } from '../importer';
import { importPlanAs } from '../actions/plans';
import { listPlans } from '../store/plans';
import { AS_OPTION, cliActor, printJson, withStore } from './context';
import { formatTable } from './table';

export function register(program: Command): void {
  program
    .command('import')
    .description('nhập một kế hoạch (.txt, .docx, .pdf có lớp chữ); nhập lại bản đã sửa sẽ cho biết thay đổi và giữ các nội dung đã viết')
    .argument('<tệp>', 'tệp kế hoạch')
    .option('--json', 'in kế hoạch đã đọc dạng JSON')
    .option(...AS_OPTION)
    .action(async (file: string, options: { json?: boolean; as?: string }) => {
      const who = cliActor(options);
      const imported = await importPlanFile(file);
      const outcome = await withStore((db) => importPlanAs(db.kysely, who, { plan: imported.plan, sourceName: path.basename(file), sourceHash: imported.sourceHash }));
      if (options.json) return printJson({ id: outcome.plan.id, outcome: outcome.kind, plan: imported.plan });
      const { plan } = outcome;
      const verb = { created: 'Đã nhập', unchanged: 'Đã có từ trước (không nhập lại)', updated: 'Đã cập nhật' }[outcome.kind];
      console.log(`${verb} kế hoạch số ${plan.id} trong Loa: ${plan.code ?? '(không số)'} — ${plan.title}`);
      const s = imported.plan;
      console.log(`  Cơ quan ban hành: ${s.identity.issuer ?? '(không ghi)'}; năm: ${s.identity.year ?? '(không ghi)'}`);
      console.log(`  Lĩnh vực: ${[...new Set(s.contentAreas.map((a) => CONTENT_AREAS[a.key]))].join('; ') || '(không có)'}`);
      console.log(`  Kênh của Loa: ${[...new Set(s.channels.flatMap((c) => (c.platform ? [PLATFORMS[c.platform]] : [])))].join(', ') || '(không có)'}`);
      console.log(`  Hoạt động: ${s.activities.length}; đơn vị: ${s.units.length}; báo cáo: ${s.reporting.length}`);
      if (outcome.kind === 'updated') {
        const changes = diffPlans(outcome.previous, s);
        console.log(`  Thay đổi so với bản trước (${changes.length}); các nội dung đã viết được giữ nguyên:`);
        for (const change of changes) console.log(`   - ${change.message}`);
      }
    });

  program
    .command('plans')
    .description('liệt kê các kế hoạch đã nhập')
    .option('--json', 'in dạng JSON')
    .action(async (options: { json?: boolean }) => {
      const plans = await withStore((db) => listPlans(db.kysely));
      if (options.json) return printJson(plans);
      if (plans.length === 0) return console.log('Chưa có kế hoạch nào. Nhập bằng: loa import TỆP');
      console.log(formatTable(plans.map((p) => ({ ...p })), [['id', 'Số'], ['code', 'Ký hiệu'], ['title', 'Tên', 60], ['issuer', 'Cơ quan', 40], ['year', 'Năm'], ['importedBy', 'Người nhập']]));
    });
}
