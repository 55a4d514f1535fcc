import { startsUnitName, type UnitRegistry } from './units';

/** Verbs that end a unit list in an assignment: "phối hợp với Sở Nội vụ chỉ đạo, …". */
const TASK_VERBS =
  'chủ trì|tham mưu|chỉ đạo|hướng dẫn|cập nhật|tiếp tục|thực hiện|tổ chức|triển khai|xây dựng|theo dõi|đẩy mạnh|kiểm tra|tuyên truyền';
const ASSIGNMENT_PATTERNS: readonly RegExp[] = [
  new RegExp(`(?:^|\\s)giao\\s+(.+?)\\s+(?:${TASK_VERBS})(?![\\p{L}])`, 'giu'),
  new RegExp(`phối hợp với\\s+(.+?)\\s+(?:${TASK_VERBS})(?![\\p{L}])`, 'giu'),
];

/** Registers the units the implementation part gives tasks to ("giao X chủ trì, phối hợp với Y …"). A capture that does
 * not start like a unit name ("nhiệm vụ được giao đồng thời …") is not one. */
export function registerAssignedUnits(lines: string[], units: UnitRegistry): void {
  for (const line of lines) {
    const found = ASSIGNMENT_PATTERNS.flatMap((pattern) => [...line.matchAll(pattern)]).sort(
      (a, b) => a.index - b.index,
    );
    for (const named of found.map((match) => match[1] ?? '').filter(startsUnitName)) units.addList(named);
  }
}
