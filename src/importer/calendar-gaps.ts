import type { StructuredPlan } from '../domain/plan';

/**
 * Why a plan yields no calendar, in words an officer can act on: a plan with no content area has nothing to write
 * about, and one that names no platform Loa publishes to has nowhere to publish. Empty when a calendar can be made.
 */
export function calendarGaps(plan: StructuredPlan): string[] {
  const gaps: string[] = [];
  if (plan.contentAreas.length === 0) {
    gaps.push(
      'Kế hoạch không có nội dung tuyên truyền nào Loa đọc được, nên chưa có gì để viết. Hãy viết nội dung bằng tay (loa items add) hoặc nhập các nội dung soạn sẵn từ tệp (loa items import TỆP.csv).',
    );
  }
  if (!plan.channels.some((channel) => channel.platform !== undefined)) {
    const offline =
      plan.channels.length > 0
        ? ' (kế hoạch chỉ nêu các hình thức Loa không tự đăng: báo chí, phát thanh - truyền hình, pa nô…)'
        : '';
    gaps.push(
      `Kế hoạch không nêu kênh nào Loa đăng được (cổng/trang thông tin điện tử, Zalo, Facebook, truyền thanh cơ sở)${offline}. Hãy thêm kênh cho đơn vị (loa channels add) và viết nội dung bằng tay (loa items add), hoặc nhập nội dung soạn sẵn từ tệp (loa items import TỆP.csv).`,
    );
  }
  return gaps;
}
