import type { PeriodReport } from './report';
import { summarise } from './summary';
import { reportTables } from './tables';

/** One sheet per breakdown: the header on row 1, frozen; counts and shares as numbers; widths set per column. */
export async function reportXlsx(report: PeriodReport): Promise<Buffer> {
  const ExcelJS = require('exceljs') as typeof import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Loa';
  workbook.title = `Báo cáo ${report.period.label}`;
  const info = workbook.addWorksheet('Kỳ báo cáo', { views: [{ state: 'frozen', ySplit: 1 }] });
  info.columns = [
    { header: 'Mục', key: 'k', width: 24 },
    { header: 'Nội dung', key: 'v', width: 100 },
  ];
  info.addRow(['Kỳ báo cáo', report.period.label]);
  info.addRow(['Từ ngày', report.period.firstDay]);
  info.addRow(['Đến ngày', report.period.lastDay]);
  info.addRow(['Đơn vị', report.unit?.name ?? 'Tất cả đơn vị']);
  for (const paragraph of summarise(report))
    info.addRow(['Tóm tắt', paragraph]).getCell(2).alignment = { wrapText: true, vertical: 'top' };
  info.getRow(1).font = { bold: true };

  for (const table of reportTables(report)) {
    const sheet = workbook.addWorksheet(table.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = table.columns.map((c, i) => ({ header: c.header, key: String(i), width: c.width }));
    for (const row of table.rows) sheet.addRow(row);
    table.columns.forEach((c, i) => {
      if (c.kind === 'share') sheet.getColumn(i + 1).numFmt = '0.0%';
      if (c.kind === 'count') sheet.getColumn(i + 1).numFmt = '#,##0.##';
    });
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).alignment = { wrapText: true, vertical: 'middle' };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
