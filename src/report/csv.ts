import { stringify } from 'csv-stringify/sync';

import type { PeriodReport } from './report';
import { percent } from './summary';
import { reportTables } from './tables';

/** Every breakdown in one CSV, one after another (title, header, rows, blank line), UTF-8 with a BOM for Excel. */
export function reportCsv(report: PeriodReport): string {
  const records: Array<Array<string | number>> = [
    [`Báo cáo kết quả đăng tin, bài ${report.period.label}${report.unit ? ` - ${report.unit.name}` : ''}`],
    [],
  ];
  for (const table of reportTables(report)) {
    records.push(
      [table.title],
      table.columns.map((c) => c.header),
    );
    for (const row of table.rows)
      records.push(
        row.map((cell, i) =>
          table.columns[i]!.kind === 'share' ? (cell === null ? '' : percent(cell as number)) : (cell ?? ''),
        ),
      );
    records.push([]);
  }
  return stringify(records, { bom: true, record_delimiter: 'windows' });
}
