import { stringify } from 'csv-stringify/sync';

import type { PeriodReport } from './report';
import { percent } from './summary';
import { reportTables } from './tables';

/**
 * A cell as a spreadsheet may open it: text starting with = + - @, a tab or a carriage return is a formula to Excel
 * and LibreOffice (a title "=HYPERLINK(…)" or "-2+3+cmd|' /C calc'!A0" would run), so it gets a leading apostrophe,
 * which both show as text and do not print. Numbers are numbers and stay as they are. Every CSV Loa writes goes
 * through this (the CLI's report and the desk's download are the same reportCsv).
 */
export function csvCell(cell: string | number): string | number {
  return typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

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
  return stringify(
    records.map((r) => r.map(csvCell)),
    { bom: true, record_delimiter: 'windows' },
  );
}
