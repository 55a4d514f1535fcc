import {
  AlignmentType,
  BorderStyle,
  convertMillimetersToTwip,
  Document,
  ImageRun,
  Packer,
  Paragraph,
  type ParagraphChild,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import { DateTime } from 'luxon';

import { formatLocal, LOCAL_ZONE } from '../domain/time';
import { chartPng, reportCharts } from './charts';
import { inSentence } from './in-sentence';
import type { PeriodReport } from './report';
import { n, percent, summarise } from './summary';

/** What the header and the signature block say: the unit fills these in, Loa leaves a blank where it does not know. */
export interface DocumentDetails {
  /** Tên cơ quan ban hành, e.g. "Văn phòng UBND tỉnh". */
  issuer: string;
  /** Tên cơ quan, tổ chức chủ quản (above the issuer), if any. */
  parent?: string;
  /** Số, ký hiệu, e.g. "15/BC-VP"; blank for the clerk to fill in. */
  number?: string;
  /** Địa danh, e.g. "Bình Phước". */
  place?: string;
  /** The day the report is issued (default today, Vietnam time). */
  date?: Date;
  signerTitle?: string;
  signerName?: string;
}

/** Nghị định 30/2020/NĐ-CP, Phụ lục I: Times New Roman; body 13–14 pt; A4 with margins 20/20 mm top/bottom, 30 left, 15 right. */
const FONT = 'Times New Roman';
const BODY = 28; // half-points: 14 pt
const SMALL = 26; // 13 pt
const TABLE = 24; // 12 pt inside tables
const NONE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const NO_BORDERS = { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE };

const run = (text: string, options: { bold?: boolean; italics?: boolean; size?: number } = {}) =>
  new TextRun({ text, font: FONT, size: options.size ?? BODY, bold: options.bold, italics: options.italics });
const centred = (children: ParagraphChild[], after = 0) =>
  new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after }, children });
/** The short rule under the issuer and the motto: a bottom border on an indented empty paragraph. */
const rule = (indent: number) =>
  new Paragraph({
    indent: { left: indent, right: indent },
    border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } },
    spacing: { after: 120 },
    children: [],
  });
const body = (text: string) =>
  new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    indent: { firstLine: convertMillimetersToTwip(12.7) },
    spacing: { before: 60, after: 60, line: 300 },
    children: [run(text)],
  });
const heading = (text: string) =>
  new Paragraph({
    spacing: { before: 160, after: 80 },
    indent: { firstLine: convertMillimetersToTwip(12.7) },
    children: [run(text, { bold: true })],
  });

/** "Bình Phước, ngày 05 tháng 4 năm 2026": days below 10 and months 1–2 take a leading zero (NĐ 30/2020). */
export function dateLine(place: string | undefined, date: Date): string {
  const d = DateTime.fromJSDate(date).setZone(LOCAL_ZONE);
  const day = String(d.day).padStart(2, '0');
  const month = d.month <= 2 ? String(d.month).padStart(2, '0') : String(d.month);
  return `${place ? `${place}, ` : ''}ngày ${day} tháng ${month} năm ${d.year}`;
}

function grid(headers: string[], rows: Array<Array<string | number>>, widths: number[]): Table {
  const cell = (value: string | number, bold = false) =>
    new TableCell({
      verticalAlign: VerticalAlign.CENTER,
      children: [
        new Paragraph({
          alignment: typeof value === 'number' ? AlignmentType.RIGHT : AlignmentType.LEFT,
          children: [run(typeof value === 'number' ? n(value) : value, { size: TABLE, bold })],
        }),
      ],
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    columnWidths: widths,
    rows: [
      new TableRow({ tableHeader: true, children: headers.map((h) => cell(h, true)) }),
      ...rows.map((r) => new TableRow({ children: r.map((v) => cell(v)) })),
    ],
  });
}

function header(details: DocumentDetails, date: Date): Table {
  const left = [
    ...(details.parent ? [centred([run(details.parent.toUpperCase(), { size: SMALL })])] : []),
    centred([run(details.issuer.toUpperCase(), { bold: true, size: SMALL })]),
    rule(1000),
    centred([run(`Số: ${details.number ?? '        /BC-'}`, { size: SMALL })]),
  ];
  const right = [
    centred([run('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true, size: 24 })]),
    centred([run('Độc lập - Tự do - Hạnh phúc', { bold: true, size: SMALL })]),
    rule(1300),
    centred([run(dateLine(details.place, date), { italics: true, size: SMALL })]),
  ];
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    columnWidths: [3800, 5800],
    borders: NO_BORDERS,
    rows: [
      new TableRow({
        children: [
          new TableCell({ borders: NO_BORDERS, children: left }),
          new TableCell({ borders: NO_BORDERS, children: right }),
        ],
      }),
    ],
  });
}

function signature(details: DocumentDetails): Table {
  const recipients = [
    new Paragraph({ children: [run('Nơi nhận:', { bold: true, italics: true, size: 24 })] }),
    ...['- Như trên;', '- Lưu: VT.'].map((t) => new Paragraph({ children: [run(t, { size: 22 })] })),
  ];
  const signer = [
    centred([run((details.signerTitle ?? 'Thủ trưởng đơn vị').toUpperCase(), { bold: true })]),
    centred([run('(Ký, ghi rõ họ tên và đóng dấu)', { italics: true, size: SMALL })], 1400),
    centred([run(details.signerName ?? '', { bold: true })]),
  ];
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    columnWidths: [4800, 4800],
    borders: NO_BORDERS,
    rows: [
      new TableRow({
        children: [
          new TableCell({ borders: NO_BORDERS, children: recipients }),
          new TableCell({ borders: NO_BORDERS, children: signer }),
        ],
      }),
    ],
  });
}

/** The period report as a Vietnamese administrative report (báo cáo) under Nghị định 30/2020/NĐ-CP. */
export async function reportDocx(report: PeriodReport, details: DocumentDetails): Promise<Buffer> {
  const date = details.date ?? new Date();
  const charts = new Map(reportCharts(report).map((c) => [c.name, c]));
  const chart = (name: 'theo-kenh' | 'theo-linh-vuc' | 'theo-thang') => {
    const c = charts.get(name)!;
    const width = 600;
    return centred(
      [
        new ImageRun({
          type: 'png',
          data: chartPng(c),
          transformation: { width, height: Math.round((c.height / c.width) * width) },
          altText: { name: c.name, title: c.title, description: c.title },
        }),
      ],
      120,
    );
  };
  const t = report.totals;
  const missed = (r: { failed: number; unconfirmed: number; expired: number; cancelled: number }) =>
    r.failed + r.unconfirmed + r.expired + r.cancelled;
  const subject = `Kết quả thông tin, tuyên truyền cải cách hành chính trên các kênh số ${report.period.label}`;

  const children: Array<Paragraph | Table> = [
    header(details, date),
    new Paragraph({
      spacing: { before: 360 },
      alignment: AlignmentType.CENTER,
      children: [run('BÁO CÁO', { bold: true })],
    }),
    centred([run(subject, { bold: true })]),
    rule(3400),
    heading('I. KHÁI QUÁT CHUNG'),
    ...summarise(report).map(body),
    heading('II. KẾT QUẢ CỤ THỂ'),
    heading('1. Kết quả đăng tin, bài theo kênh'),
    grid(
      ['Kênh', 'Loại kênh', 'Đã đăng', 'Không đăng được'],
      report.byChannel.map((c) => [c.name, c.platformLabel, c.published, missed(c)]),
      [3600, 2800, 1500, 1700],
    ),
    ...(t.published ? [chart('theo-kenh')] : []),
    heading('2. Kết quả theo lĩnh vực nội dung'),
    grid(
      ['Lĩnh vực', 'Lượt đăng', 'Nội dung'],
      report.byArea.map((a) => [a.name, a.published, a.items]),
      [6000, 1800, 1800],
    ),
    ...(t.published ? [chart('theo-linh-vuc')] : []),
    heading('3. Kết quả theo tháng'),
    grid(
      ['Tháng', 'Đã đăng', 'Không đăng được'],
      report.byMonth.map((m) => [m.label, m.published, missed(m)]),
      [4000, 2800, 2800],
    ),
    ...(t.published ? [chart('theo-thang')] : []),
    heading('4. Thời gian đăng'),
    body(
      `Tổng số ${n(report.punctuality.published)} lượt đã đăng; đăng trong vòng 1 phút so với giờ hẹn: ${n(report.punctuality.withinOneMinute)} lượt (${percent(report.punctuality.shareWithinOneMinute)}); ` +
        `trong vòng 5 phút: ${n(report.punctuality.withinFiveMinutes)} lượt (${percent(report.punctuality.shareWithinFiveMinutes)}).`,
    ),
    ...(report.punctuality.worst.length
      ? [
          grid(
            ['Nội dung', 'Giờ hẹn', 'Giờ đăng', 'Chậm (phút)'],
            report.punctuality.worst.map((w) => [
              w.title,
              formatLocal(w.scheduledAt),
              formatLocal(w.publishedAt),
              Math.round(w.delaySeconds / 60),
            ]),
            [4200, 1900, 1900, 1600],
          ),
        ]
      : []),
    heading('5. Các lượt không đăng được'),
    ...(report.problems.length
      ? [
          grid(
            ['Tình trạng', 'Lý do', 'Số lượt'],
            report.problems.map((p) => [p.stateLabel, p.reason, p.count]),
            [2200, 5900, 1500],
          ),
        ]
      : [body('Không có lượt nào thất bại, quá hạn, bị hủy hoặc chưa rõ kết quả.')]),
    // Counted in "Đã đăng" above (they went out at their time); listed here as taken down, by reason and channel.
    ...(report.withdrawals.length
      ? [
          heading('6. Tin, bài đã đăng rồi gỡ xuống'),
          grid(
            ['Lý do gỡ', 'Kênh', 'Số lượt'],
            report.withdrawals.map((w) => [w.reason, w.channelName, w.count]),
            [5400, 2700, 1500],
          ),
        ]
      : []),
  ];

  if (report.plans.length) {
    children.push(heading('III. ĐỐI CHIẾU VỚI KẾ HOẠCH'));
    report.plans.forEach((plan, i) => {
      children.push(heading(`${i + 1}. Kế hoạch ${plan.code ? `số ${plan.code}` : `"${plan.title}"`}`));
      if (plan.activities.length) {
        children.push(
          grid(
            ['Hoạt động', 'Thời gian', 'Tình trạng', 'Đơn vị chủ trì'],
            plan.activities.map((a) => [
              `${a.label}) ${a.title}`,
              a.timing,
              a.due > 1 ? `${a.statusLabel} (${a.done}/${a.due})` : a.statusLabel,
              a.responsible.join('; '),
            ]),
            [3900, 1500, 2000, 2200],
          ),
        );
      }
      if (plan.gaps.length) {
        children.push(body('Những việc còn thiếu so với kế hoạch:'));
        children.push(
          grid(
            ['Nội dung', 'Tình trạng', 'Đơn vị chịu trách nhiệm'],
            plan.gaps.map((g) => [g.what, g.detail, g.responsible.join('; ')]),
            [4200, 2700, 2700],
          ),
        );
      } else
        children.push(body('Các lĩnh vực, kênh và hoạt động trọng tâm của kế hoạch đều đã được thực hiện trong kỳ.'));
      if (plan.offlineForms.length)
        children.push(
          body(`Các hình thức ngoài hệ thống (${plan.offlineForms.map(inSentence).join('; ')}) do đơn vị tự tổng hợp.`),
        );
    });
  }
  children.push(new Paragraph({ spacing: { after: 240 }, children: [] }), signature(details));

  const document = new Document({
    creator: 'Loa',
    title: subject,
    styles: { default: { document: { run: { font: FONT, size: BODY } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: convertMillimetersToTwip(210), height: convertMillimetersToTwip(297) },
            margin: {
              top: convertMillimetersToTwip(20),
              bottom: convertMillimetersToTwip(20),
              left: convertMillimetersToTwip(30),
              right: convertMillimetersToTwip(15),
            },
          },
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}
