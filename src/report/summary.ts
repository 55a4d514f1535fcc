import { duringPeriod, inSentence } from './in-sentence';
import type { PeriodReport } from './report';

const NUMBER = new Intl.NumberFormat('vi-VN');
export const n = (value: number) => NUMBER.format(value);
export const percent = (share: number | null) =>
  share === null ? '—' : `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }).format(share * 100)}%`;

/** A few plain Vietnamese sentences on the period, for the written part of the report. */
export function summarise(report: PeriodReport): string[] {
  const t = report.totals;
  const who = report.unit ? `các kênh của ${report.unit.name}` : 'các kênh';
  const paragraphs: string[] = [];
  if (t.published === 0) {
    paragraphs.push(`${duringPeriod(report.period.label)}, ${who} chưa đăng tin, bài nào qua hệ thống Loa.`);
  } else {
    const top = report.byPlatform.filter((p) => p.published > 0).map((p) => `${p.label} ${n(p.published)} lượt`);
    const channels = report.byChannel.filter((c) => c.published > 0).length;
    paragraphs.push(
      `${duringPeriod(report.period.label)}, ${who} đã đăng ${n(t.published)} lượt tin, bài (${n(t.items)} nội dung) trên ${n(channels)} kênh, gồm: ${top.join('; ')}. ` +
        `Có ${n(t.itemsOnSeveralChannels)} nội dung được đăng trên từ hai kênh trở lên.`,
    );
    if (t.withdrawn > 0) {
      const reason = report.withdrawals[0];
      paragraphs.push(
        `Trong số lượt đã đăng, có ${n(t.withdrawn)} tin, bài đã gỡ xuống theo yêu cầu của cán bộ phụ trách` +
          (reason
            ? `; lý do gỡ thường gặp nhất: "${reason.reason}" (${n(report.withdrawals.filter((w) => w.reason === reason.reason).reduce((sum, w) => sum + w.count, 0))} lượt).`
            : '.'),
      );
    }
    const areas = report.byArea.slice(0, 3).map((a) => `${inSentence(a.name)} (${n(a.published)} lượt)`);
    if (areas.length) paragraphs.push(`Lĩnh vực được tuyên truyền nhiều nhất: ${areas.join(', ')}.`);
    const p = report.punctuality;
    paragraphs.push(
      `Về thời gian, ${percent(p.shareWithinOneMinute)} số lượt được đăng trong vòng 1 phút và ${percent(p.shareWithinFiveMinutes)} trong vòng 5 phút so với giờ đã hẹn.`,
    );
  }
  const missed = t.failed + t.unconfirmed + t.expired + t.cancelled;
  if (missed > 0) {
    const parts = [
      [t.failed, 'thất bại'],
      [t.unconfirmed, 'chưa rõ kết quả'],
      [t.expired, 'quá hạn chưa duyệt'],
      [t.cancelled, 'bị hủy'],
    ].filter(([count]) => (count as number) > 0);
    const reason = report.problems[0];
    paragraphs.push(
      `Có ${n(missed)} lượt không đăng được (${parts.map(([count, label]) => `${n(count as number)} ${label}`).join(', ')})` +
        (reason ? `; lý do thường gặp nhất: "${reason.reason}" (${n(reason.count)} lượt).` : '.'),
    );
  }
  const c = report.communes;
  if (c.total > 0) {
    paragraphs.push(
      `${n(c.published)}/${n(c.total)} xã, phường có bài đăng trong kỳ` +
        (c.silent.length ? `; chưa có: ${c.silent.slice(0, 10).join(', ')}${c.silent.length > 10 ? '…' : ''}.` : '.'),
    );
  }
  for (const plan of report.plans) {
    const name = plan.code ? `Kế hoạch số ${plan.code}` : `Kế hoạch "${plan.title}"`;
    const emptyAreas = plan.gaps.filter((g) => g.kind === 'area').map((g) => inSentence(g.what));
    const emptyChannels = plan.gaps.filter((g) => g.kind === 'channel').map((g) => g.what);
    const late = plan.gaps.filter((g) => g.kind === 'activity');
    const done = plan.activities.filter((a) => a.status === 'done').length;
    const sentences = [`Đối chiếu với ${name}: `];
    sentences.push(
      emptyAreas.length
        ? `${n(emptyAreas.length)} lĩnh vực chưa có tin, bài (${emptyAreas.join('; ')})`
        : 'các lĩnh vực của kế hoạch đều đã có tin, bài',
    );
    if (emptyChannels.length) sentences.push(`; kênh chưa đăng: ${emptyChannels.join(', ')}`);
    if (plan.activities.length) {
      sentences.push(`; ${n(done)}/${n(plan.activities.length)} hoạt động trọng tâm đã thực hiện`);
      if (late.length)
        sentences.push(
          `, còn ${late.map((g) => `${g.what.split(')')[0]}) (${g.detail}; ${g.responsible.join(', ')})`).join('; ')}`,
        );
    }
    paragraphs.push(`${sentences.join('')}.`);
  }
  return paragraphs;
}
