import { formatLocal } from '../domain/time';
import type { PeriodReport, StateCounts } from './report';

/** One breakdown as a table every format draws the same way: a sheet in XLSX, a section in CSV, a table in DOCX. */
export interface ReportTable {
  /** Sheet name (at most 31 characters, no []:*?/\). */
  name: string;
  title: string;
  columns: Array<{ header: string; kind: 'text' | 'count' | 'share'; width: number }>;
  rows: Array<Array<string | number | null>>;
}

const STATE_COLUMNS: Array<[keyof StateCounts, string]> = [
  ['published', 'Đã đăng'],
  // A part of "Đã đăng", not beside it: posts that went out and were taken down later.
  ['withdrawn', 'Trong đó đã gỡ'],
  ['failed', 'Thất bại'],
  ['unconfirmed', 'Chưa rõ kết quả'],
  ['expired', 'Quá hạn chưa duyệt'],
  ['cancelled', 'Đã hủy'],
  ['pending', 'Đang chờ'],
];
const stateColumns = STATE_COLUMNS.map(([, header]) => ({ header, kind: 'count' as const, width: 12 }));
const stateCells = (row: StateCounts) => STATE_COLUMNS.map(([key]) => row[key]);
const text = (header: string, width: number) => ({ header, kind: 'text' as const, width });
const count = (header: string, width = 12) => ({ header, kind: 'count' as const, width });

export function reportTables(report: PeriodReport): ReportTable[] {
  const t = report.totals;
  const p = report.punctuality;
  const tables: ReportTable[] = [
    {
      name: 'Tổng hợp',
      title: 'Tổng hợp',
      columns: [text('Chỉ tiêu', 48), count('Số lượng', 14)],
      rows: [
        ['Lượt đăng thành công', t.published],
        ['Nội dung (tin, bài) đã đăng', t.items],
        ['Nội dung đăng trên từ 2 kênh trở lên', t.itemsOnSeveralChannels],
        ['Lượt đăng thành công sau khi thử lại', t.publishedAfterRetry],
        ['Lượt đã đăng sau đó bị gỡ xuống (tính trong lượt đăng thành công)', t.withdrawn],
        ['Lượt thất bại', t.failed],
        ['Lượt chưa rõ kết quả', t.unconfirmed],
        ['Lượt quá hạn chưa duyệt', t.expired],
        ['Lượt đã hủy', t.cancelled],
        ['Lượt đang chờ đăng', t.pending],
        ['Số lần thử đăng', t.attempts],
        ['Xã, phường có bài đăng trong kỳ', report.communes.published],
        ['Xã, phường của tỉnh trong kỳ', report.communes.total],
      ],
    },
    {
      name: 'Theo kênh',
      title: 'Theo kênh',
      columns: [text('Kênh', 16), text('Tên kênh', 36), text('Loại', 28), text('Đơn vị', 28), ...stateColumns],
      rows: report.byChannel.map((r) => [r.channelId, r.name, r.platformLabel, r.unitName, ...stateCells(r)]),
    },
    {
      name: 'Theo loại kênh',
      title: 'Theo loại kênh',
      columns: [text('Loại kênh', 32), count('Số kênh', 10), ...stateColumns],
      rows: report.byPlatform.map((r) => [r.label, r.channels, ...stateCells(r)]),
    },
    {
      name: 'Theo lĩnh vực',
      title: 'Theo lĩnh vực nội dung',
      columns: [text('Lĩnh vực', 56), count('Lượt đăng'), count('Nội dung')],
      rows: report.byArea.map((r) => [r.name, r.published, r.items]),
    },
    {
      name: 'Theo đơn vị',
      title: 'Theo đơn vị (chủ kênh)',
      columns: [text('Đơn vị', 40), ...stateColumns],
      rows: report.byUnit.map((r) => [r.name, ...stateCells(r)]),
    },
    {
      name: 'Theo tháng',
      title: 'Theo tháng',
      columns: [text('Tháng', 16), ...stateColumns],
      rows: report.byMonth.map((r) => [r.label, ...stateCells(r)]),
    },
    {
      name: 'Số kênh mỗi nội dung',
      title: 'Nội dung theo số kênh đã đăng',
      columns: [count('Số kênh', 10), count('Nội dung')],
      rows: report.reach.map((r) => [r.channels, r.items]),
    },
    {
      name: 'Không đăng được',
      title: 'Không đăng được: lý do',
      columns: [text('Tình trạng', 22), text('Lý do', 70), count('Số lượt')],
      rows: report.problems.map((r) => [r.stateLabel, r.reason, r.count]),
    },
    {
      name: 'Đã gỡ xuống',
      title: 'Đã đăng rồi gỡ xuống: lý do gỡ, theo kênh',
      columns: [text('Lý do gỡ', 70), text('Kênh', 16), text('Tên kênh', 36), count('Số lượt')],
      rows: report.withdrawals.map((r) => [r.reason, r.channelId, r.channelName, r.count]),
    },
    {
      name: 'Đúng giờ',
      title: 'Đúng giờ',
      columns: [text('Chỉ tiêu', 40), count('Số lượt'), { header: 'Tỷ lệ', kind: 'share', width: 10 }],
      rows: [
        ['Đã đăng', p.published, null],
        ['Trong vòng 1 phút', p.withinOneMinute, p.shareWithinOneMinute],
        ['Trong vòng 5 phút', p.withinFiveMinutes, p.shareWithinFiveMinutes],
      ],
    },
    {
      name: 'Chậm nhất',
      title: 'Các lượt đăng chậm nhất',
      columns: [
        text('Lượt đăng', 34),
        text('Nội dung', 44),
        text('Giờ hẹn', 17),
        text('Giờ đăng', 17),
        count('Chậm (phút)'),
      ],
      rows: p.worst.map((w) => [
        w.publicationId,
        w.title,
        formatLocal(w.scheduledAt),
        formatLocal(w.publishedAt),
        Math.round(w.delaySeconds / 6) / 10,
      ]),
    },
  ];
  if (report.plans.length) {
    tables.push(
      {
        name: 'KH - lĩnh vực',
        title: 'Đối chiếu kế hoạch: lĩnh vực',
        columns: [text('Kế hoạch', 22), text('Lĩnh vực', 50), count('Lượt đăng'), text('Đơn vị chịu trách nhiệm', 40)],
        rows: report.plans.flatMap((plan) =>
          plan.areas.map((a) => [plan.code ?? `#${plan.planId}`, a.name, a.published, a.responsible.join('; ')]),
        ),
      },
      {
        name: 'KH - kênh',
        title: 'Đối chiếu kế hoạch: kênh',
        columns: [text('Kế hoạch', 22), text('Kênh', 34), count('Lượt đăng'), text('Đơn vị chịu trách nhiệm', 40)],
        rows: report.plans.flatMap((plan) =>
          plan.channels.map((c) => [plan.code ?? `#${plan.planId}`, c.label, c.published, c.responsible.join('; ')]),
        ),
      },
      {
        name: 'KH - hoạt động',
        title: 'Đối chiếu kế hoạch: hoạt động trọng tâm',
        columns: [
          text('Kế hoạch', 22),
          text('Hoạt động', 60),
          text('Thời gian', 18),
          text('Tình trạng', 30),
          count('Kỳ đến hạn'),
          count('Kỳ đã làm'),
          count('Lượt đăng'),
          text('Đơn vị chủ trì', 40),
        ],
        rows: report.plans.flatMap((plan) =>
          plan.activities.map((a) => [
            plan.code ?? `#${plan.planId}`,
            `${a.label}) ${a.title}`,
            a.timing,
            a.statusLabel,
            a.due,
            a.done,
            a.published,
            a.responsible.join('; '),
          ]),
        ),
      },
      {
        name: 'KH - việc còn thiếu',
        title: 'Việc còn thiếu so với kế hoạch',
        columns: [
          text('Kế hoạch', 22),
          text('Loại', 12),
          text('Nội dung', 60),
          text('Tình trạng', 34),
          text('Đơn vị chịu trách nhiệm', 40),
        ],
        rows: report.plans.flatMap((plan) =>
          plan.gaps.map((g) => [
            plan.code ?? `#${plan.planId}`,
            GAP_KIND[g.kind],
            g.what,
            g.detail,
            g.responsible.join('; '),
          ]),
        ),
      },
    );
  }
  return tables;
}

const GAP_KIND = { area: 'lĩnh vực', channel: 'kênh', activity: 'hoạt động' } as const;
