/**
 * What each action of the audit trail means to a person reading it on the desk. The trail stores the action's
 * code (`item.approve`), which the CLI and the API show as it is. Every code Loa writes is a key here (the type
 * makes a new action without a label a compile error); a code from an older Loa without one is shown as it is.
 */
export const AUDIT_ACTION_LABELS = {
  'session.login': 'Đăng nhập',
  'plan.import': 'Nhập kế hoạch',
  'plan.update': 'Cập nhật kế hoạch',
  'calendar.apply': 'Áp dụng lịch đăng đề xuất',
  'item.add': 'Viết bài',
  'item.edit': 'Sửa bài',
  'item.approve': 'Duyệt bài',
  'item.reject': 'Trả lại bài',
  'item.withdraw': 'Rút / gỡ bài',
  'publication.queue': 'Xếp lịch đăng',
  'publication.cancel': 'Hủy lịch đăng',
  'publication.retry': 'Đăng lại',
  'publishing.pause': 'Tạm dừng đăng',
  'publishing.resume': 'Cho đăng tiếp',
  'channel.save': 'Lưu kênh',
  'channel.connect': 'Kết nối tài khoản kênh',
  'token.create': 'Tạo khóa API',
  'token.revoke': 'Thu hồi khóa API',
  'unit.add': 'Thêm đơn vị',
  'unit.rename': 'Đổi tên đơn vị',
  'unit.merge': 'Sáp nhập đơn vị',
  'unit.retire': 'Ngừng đơn vị',
  'user.add': 'Thêm tài khoản',
  'user.disable': 'Khóa tài khoản',
  'user.password': 'Đổi mật khẩu',
} as const satisfies Record<string, string>;

/** An action the audit trail records. */
export type AuditAction = keyof typeof AUDIT_ACTION_LABELS;

/** Where an action came from, as a person reads it. */
export const AUDIT_SOURCE_LABELS: Record<string, string> = { browser: 'trang web', CLI: 'dòng lệnh', API: 'API' };

export function auditActionLabel(action: string): string {
  return (AUDIT_ACTION_LABELS as Record<string, string>)[action] ?? action;
}
