import type { StructuredPlan } from '../../src/domain/plan';
import { proposeCalendar } from '../support/calendar';
import { parsePlanText } from '../support/importer';
import { planFixture } from './fixtures';

const departmentPlan = parsePlanText(planFixture('binh-phuoc-2024-sldtbxh').text);
const socTrangPlan = parsePlanText(planFixture('soc-trang-2022-ubnd-21').text);

function withFirstActivityTiming(
  plan: StructuredPlan,
  timing: StructuredPlan['activities'][number]['timing'],
): StructuredPlan {
  const [first, ...rest] = plan.activities;
  if (!first) throw new Error('plan has no activity');
  return { ...plan, activities: [{ ...first, timing }, ...rest] };
}

test('"thường xuyên" for posting on the portal gives a weekly portal slot, local time with offset', () => {
  const { items, slots } = proposeCalendar(departmentPlan, { from: '2024-06-01', to: '2024-06-30' });
  expect(slots.map((slot) => [slot.platform, slot.at])).toEqual([
    ['rss', '2024-06-04T08:00:00+07:00'],
    ['rss', '2024-06-11T08:00:00+07:00'],
    ['rss', '2024-06-18T08:00:00+07:00'],
    ['rss', '2024-06-25T08:00:00+07:00'],
  ]);
  expect(slots[0]?.reason).toBe('Hoạt động a) "thường xuyên": hằng tuần');
  expect(items.map((item) => item.id)).toEqual([
    '2024-06-03-chu-truong',
    '2024-06-10-chi-dao-dieu-hanh',
    '2024-06-17-chi-dao-dieu-hanh',
    '2024-06-24-chu-truong',
  ]);
  expect(slots.map((slot) => slot.itemId)).toEqual(items.map((item) => item.id));
});

test("each draft starts from the plan's own words for its area, details as a list", () => {
  const { items } = proposeCalendar(departmentPlan, { from: '2024-06-01', to: '2024-08-31' });
  const theChe = items.find((item) => item.areaKey === 'the-che');
  expect(theChe?.title).toBe('Cải cách thể chế');
  expect(theChe?.body.split('\n')).toEqual([
    'Cải cách thể chế',
    '- tuyên truyền các quy định của Trung ương, của tỉnh, của ngành về cải cách thể chế',
    expect.stringMatching(/^- kết quả của việc cải cách thể chế/),
    expect.stringMatching(/^- hiệu quả của việc thực thi/),
  ]);
  const long = items.find((item) => item.areaKey === 'chi-so');
  expect(long?.title.length).toBeLessThanOrEqual(101);
  expect(long?.title).toMatch(/^Tuyên truyền đối với các nội dung, kết quả các Chỉ số.*…$/);
});

test('platforms without a timing in the plan get the default cadence, each at its own weekday and hour', () => {
  const { items, slots } = proposeCalendar(socTrangPlan, { from: '2022-03-01', to: '2022-03-14' });
  expect(slots.map((slot) => [slot.platform, slot.at])).toEqual([
    ['rss', '2022-03-01T08:00:00+07:00'],
    ['facebook', '2022-03-02T19:30:00+07:00'],
    ['zalo', '2022-03-03T09:00:00+07:00'],
    ['radio', '2022-03-04T06:00:00+07:00'],
    ['rss', '2022-03-08T08:00:00+07:00'],
    ['facebook', '2022-03-09T19:30:00+07:00'],
    ['zalo', '2022-03-10T09:00:00+07:00'],
    ['radio', '2022-03-11T06:00:00+07:00'],
  ]);
  expect(items.map((item) => item.areaKey)).toEqual(['chu-truong', 'thu-tuc-hanh-chinh']);
  expect(slots[0]?.reason).toMatch(/mặc định hằng tuần/);
});

test('a monthly default gives the first publishing weekday of each month', () => {
  const { slots } = proposeCalendar(socTrangPlan, { from: '2022-03-01', to: '2022-05-31', defaultEvery: 'month' });
  expect(slots.filter((slot) => slot.platform === 'rss').map((slot) => slot.at)).toEqual([
    '2022-03-01T08:00:00+07:00',
    '2022-04-05T08:00:00+07:00',
    '2022-05-03T08:00:00+07:00',
  ]);
});

test('a deadline gives one slot on that day; a window limits the cadence to it', () => {
  const deadline = withFirstActivityTiming(departmentPlan, {
    kind: 'deadline',
    by: '2024-06-20',
    wording: 'trước ngày 20/6',
  });
  expect(proposeCalendar(deadline, { from: '2024-06-01', to: '2024-06-30' }).slots.map((slot) => slot.at)).toEqual([
    '2024-06-20T08:00:00+07:00',
  ]);
  const window = withFirstActivityTiming(departmentPlan, {
    kind: 'window',
    from: '2024-06-10',
    to: '2024-06-16',
    wording: 'từ 10/6 đến 16/6',
  });
  expect(proposeCalendar(window, { from: '2024-06-01', to: '2024-06-30' }).slots.map((slot) => slot.at)).toEqual([
    '2024-06-11T08:00:00+07:00',
  ]);
});

test('two activities on one platform with the same cadence do not publish twice at the same moment', () => {
  const [first] = departmentPlan.activities;
  if (!first) throw new Error('plan has no activity');
  const twice = { ...departmentPlan, activities: [first, { ...first, label: 'e' }] };
  expect(proposeCalendar(twice, { from: '2024-06-01', to: '2024-06-09' }).slots).toHaveLength(1);
});

test('only Loa platforms get slots; a plan naming none gets an empty calendar', () => {
  const { slots } = proposeCalendar(socTrangPlan, { from: '2022-01-01', to: '2022-12-31' });
  expect(new Set(slots.map((slot) => slot.platform))).toEqual(new Set(['rss', 'facebook', 'zalo', 'radio']));
  const ninhThuan = parsePlanText(planFixture('ninh-thuan-2023-ubnd-911').text);
  expect(proposeCalendar(ninhThuan, { from: '2023-04-01', to: '2023-06-30' })).toEqual({
    items: [],
    slots: [],
    warnings: [],
  });
});

test('a period that ends before it starts, or is not a date, is refused', () => {
  expect(() => proposeCalendar(socTrangPlan, { from: '2022-03-10', to: '2022-03-01' })).toThrow(RangeError);
  expect(() => proposeCalendar(socTrangPlan, { from: '10/3/2022', to: '2022-03-31' })).toThrow(
    /không phải ngày hợp lệ/,
  );
});

function forYear(plan: StructuredPlan, year: number): StructuredPlan {
  return { ...plan, identity: { ...plan.identity, year, period: null } };
}

test("dates outside the plan's year are dropped, with a warning naming them", () => {
  const { slots, warnings } = proposeCalendar(departmentPlan, { from: '2024-12-20', to: '2025-01-15' });
  expect(slots.map((slot) => slot.at)).toEqual(['2024-12-24T08:00:00+07:00', '2024-12-31T08:00:00+07:00']);
  expect(warnings).toEqual(['Bỏ các ngày từ 01/01/2025 đến 15/01/2025: sau thời gian của kế hoạch (năm 2024).']);
  const outside = proposeCalendar(departmentPlan, { from: '2025-03-01', to: '2025-03-31' });
  expect(outside.slots).toEqual([]);
  expect(outside.warnings).toEqual([
    'Khoảng 01/03/2025–31/03/2025 nằm ngoài thời gian của kế hoạch (năm 2024): không đề xuất ngày nào.',
  ]);
  const before = proposeCalendar(forYear(departmentPlan, 2025), { from: '2024-12-25', to: '2025-01-10' });
  expect(before.slots.map((slot) => slot.at)).toEqual(['2025-01-07T08:00:00+07:00']);
  expect(before.warnings[0]).toMatch(/^Bỏ các ngày từ 25\/12\/2024 đến 31\/12\/2024: trước thời gian/);
});

test('a multi-year plan keeps to its period; the demo may turn the check off', () => {
  const multi: StructuredPlan = {
    ...departmentPlan,
    identity: { ...departmentPlan.identity, year: null, period: { from: 2021, to: 2025 } },
  };
  expect(proposeCalendar(multi, { from: '2025-12-25', to: '2026-01-10' }).warnings).toEqual([
    'Bỏ các ngày từ 01/01/2026 đến 10/01/2026: sau thời gian của kế hoạch (giai đoạn 2021–2025).',
  ]);
  expect(
    proposeCalendar(departmentPlan, { from: '2025-03-01', to: '2025-03-10', keepToPlanPeriod: false }).slots,
  ).toHaveLength(1);
});

test('Tết (the lunar new year, five days) and 2/9 are skipped: the slot moves to the next working day and says why', () => {
  // Tết Bính Ngọ: eve 16/02/2026, mồng 1 on Tuesday 17/02, the portal's weekday; the break runs to 20/02.
  const tet = proposeCalendar(forYear(departmentPlan, 2026), { from: '2026-02-09', to: '2026-02-28' });
  expect(tet.slots.map((slot) => slot.at)).toEqual([
    '2026-02-10T08:00:00+07:00',
    '2026-02-21T08:00:00+07:00',
    '2026-02-24T08:00:00+07:00',
  ]);
  expect(tet.slots[1]?.reason).toMatch(/\(dời từ 17\/02\/2026: nghỉ Tết Nguyên Đán\)$/);
  // Tết Đinh Mùi 2027: mồng 1 on Saturday 06/02, the break is 05/02–09/02 (Tuesday 09/02 moves to Wednesday 10/02).
  const tet2027 = proposeCalendar(forYear(departmentPlan, 2027), { from: '2027-02-08', to: '2027-02-14' });
  expect(tet2027.slots.map((slot) => slot.at)).toEqual(['2027-02-10T08:00:00+07:00']);
  // Quốc khánh 02/09/2026 is a Wednesday: Facebook's weekday.
  const national = proposeCalendar(forYear(socTrangPlan, 2026), { from: '2026-08-31', to: '2026-09-06' });
  expect(national.slots.filter((slot) => slot.platform === 'facebook').map((slot) => slot.at)).toEqual([
    '2026-09-03T19:30:00+07:00',
  ]);
});

test('a holiday at the very end of the period drops the slot with a warning; a deadline on a holiday moves earlier', () => {
  const last = proposeCalendar(forYear(departmentPlan, 2026), { from: '2026-02-16', to: '2026-02-20' });
  expect(last.slots).toEqual([]);
  expect(last.warnings).toEqual([
    'Bỏ lượt rss ngày 17/02/2026: trùng ngày nghỉ Tết Nguyên Đán và không còn ngày làm việc nào trong khoảng này.',
  ]);
  const deadline = withFirstActivityTiming(forYear(departmentPlan, 2026), {
    kind: 'deadline',
    by: '2026-04-30',
    wording: 'trước ngày 30/4',
  });
  expect(
    proposeCalendar(deadline, { from: '2026-04-01', to: '2026-05-31' })
      .slots.filter((s) => s.reason.includes('hạn'))
      .map((slot) => slot.at),
  ).toEqual(['2026-04-29T08:00:00+07:00']);
});

describe('proposals for issue 29: standard areas, never in the past', () => {
  test('a plan that names no content area gets the standard areas of Nghị quyết 76/NQ-CP, each marked to confirm', () => {
    const plan: StructuredPlan = { ...departmentPlan, contentAreas: [] };
    const { items, warnings } = proposeCalendar(plan, { from: '2024-06-01', to: '2024-07-31' });
    expect(items.length).toBeGreaterThan(0);
    expect(items.map((item) => item.areaKey).slice(0, 4)).toEqual([
      'chu-truong',
      'chi-dao-dieu-hanh',
      'the-che',
      'thu-tuc-hanh-chinh',
    ]);
    expect(items.every((item) => item.toConfirm?.includes('76/NQ-CP'))).toBe(true);
    expect(warnings.join('\n')).toContain('Nghị quyết 76/NQ-CP');
  });

  test('nothing is proposed before today, and the days cut off are said', () => {
    const { slots, warnings } = proposeCalendar(departmentPlan, {
      from: '2024-06-01',
      to: '2024-06-30',
      today: '2024-06-15',
    });
    expect(slots.map((slot) => slot.at)).toEqual(['2024-06-18T08:00:00+07:00', '2024-06-25T08:00:00+07:00']);
    expect(warnings).toContain('Bỏ các ngày từ 01/06/2024 đến 14/06/2024: đã qua (hôm nay 15/06/2024).');
  });

  test('a plan whose period is over proposes nothing, inside its period or after it', () => {
    const { slots, warnings } = proposeCalendar(departmentPlan, {
      from: '2024-01-01',
      to: '2026-12-31',
      today: '2026-12-07',
    });
    expect(slots).toEqual([]);
    expect(warnings.join('\n')).toContain('đã qua (hôm nay 07/12/2026)');
  });
});
