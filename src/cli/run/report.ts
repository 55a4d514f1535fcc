import fs from 'node:fs';
import path from 'node:path';

import { ValidationError } from '../../domain/errors';
import { parsePeriod, periodBetween, type ReportPeriod } from '../../domain/report-period';
import type { PeriodReport } from '../../report/report';
import type { ReportTable } from '../../report/tables';
import { getUnit } from '../../store/units';
import { config, printJson, withStore } from '../context';
import { FORMATS } from '../report-formats';
import { formatTable } from '../table';

interface ReportCliOptions {
  period?: string;
  from?: string;
  to?: string;
  unit?: string;
  plan?: number[];
  json?: boolean;
  format?: string;
  output?: string;
  issuer?: string;
  parent?: string;
  number?: string;
  place?: string;
  signer?: string;
  signerTitle?: string;
}

function periodOf(options: ReportCliOptions): ReportPeriod {
  if (options.period && (options.from || options.to))
    throw new ValidationError('--period', 'dùng --period hoặc --from/--to, không dùng cả hai');
  if (options.period) return parsePeriod(options.period);
  if (options.from && options.to) return periodBetween(options.from, options.to);
  throw new ValidationError(
    '--period',
    'cần kỳ báo cáo: --period 2026-Q1 (hoặc 2026-H1, 2026, 2026-03), hoặc --from 01/01/2026 --to 31/03/2026',
  );
}

function shown(table: ReportTable): string {
  const percent = (require('../../report/summary') as typeof import('../../report/summary')).percent;
  const rows = table.rows.map((row) =>
    Object.fromEntries(
      row.map((cell, i) => [String(i), table.columns[i]!.kind === 'share' ? percent(cell as number | null) : cell]),
    ),
  );
  const body = rows.length
    ? formatTable(
        rows,
        table.columns.map((c, i) => [String(i), c.header, Math.max(c.width, 12)]),
      )
    : '(không có)';
  return `\n${table.title.toUpperCase()}\n${body}`;
}

function printReport(report: PeriodReport): void {
  const { summarise } = require('../../report/summary') as typeof import('../../report/summary');
  const { reportTables } = require('../../report/tables') as typeof import('../../report/tables');
  console.log(
    `Báo cáo ${report.period.label}${report.unit ? ` — ${report.unit.name}` : ''} (theo giờ hẹn đăng, giờ Việt Nam)`,
  );
  for (const paragraph of summarise(report)) console.log(`\n${paragraph}`);
  for (const table of reportTables(report)) console.log(shown(table));
}

async function writeFile(
  report: PeriodReport,
  format: (typeof FORMATS)[number],
  output: string,
  options: ReportCliOptions,
  unitName: string,
): Promise<void> {
  let bytes: Buffer | string;
  if (format === 'csv') bytes = (require('../../report/csv') as typeof import('../../report/csv')).reportCsv(report);
  else if (format === 'xlsx')
    bytes = await (require('../../report/xlsx') as typeof import('../../report/xlsx')).reportXlsx(report);
  else {
    bytes = await (require('../../report/docx') as typeof import('../../report/docx')).reportDocx(report, {
      issuer: options.issuer ?? unitName,
      parent: options.parent,
      number: options.number,
      place: options.place,
      signerName: options.signer,
      signerTitle: options.signerTitle,
    });
  }
  // Written beside, then renamed: a half-written report never stands under the name asked for.
  const target = path.resolve(output);
  const partial = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(partial, bytes);
  fs.renameSync(partial, target);
  console.log(`Đã ghi ${target}`);
}

/** `loa report` */
export async function report(options: ReportCliOptions): Promise<void> {
  const period = periodOf(options);
  const format = options.format?.toLowerCase();
  if (format !== undefined && !(FORMATS as readonly string[]).includes(format))
    throw new ValidationError('--format', `"${options.format}" không có; chọn một trong: ${FORMATS.join(', ')}`);
  if (format && !options.output)
    throw new ValidationError('--output', `cần tên tệp ghi ra, ví dụ --output bao-cao.${format}`);
  if (options.output && !format) throw new ValidationError('--format', 'cần dạng tệp: --format csv, xlsx hoặc docx');
  const { buildReport } = require('../../report/build') as typeof import('../../report/build');
  const { PLATFORMS } = require('../../../channels') as typeof import('../../../channels');
  await withStore(async (db) => {
    const unit = options.unit ? await getUnit(db.kysely, options.unit) : null;
    const report = await buildReport(db, { period, platforms: PLATFORMS, unitId: unit?.id, planIds: options.plan });
    if (options.json) printJson(report);
    else if (format)
      await writeFile(
        report,
        format as (typeof FORMATS)[number],
        options.output!,
        options,
        unit?.name ?? config.defaultUnit,
      );
    else printReport(report);
  });
}
