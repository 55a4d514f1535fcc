import type { StructuredPlan } from '../../src/domain/plan';
import { parsePlanText, proposeCalendar } from '../../src/importer';
import { planFixture } from './fixtures';

const departmentPlan = parsePlanText(planFixture('binh-phuoc-2024-sldtbxh').text);
const socTrangPlan = parsePlanText(planFixture('soc-trang-2022-ubnd-21').text);

function withFirstActivityTiming(plan: StructuredPlan, timing: StructuredPlan['activities'][number]['timing']): StructuredPlan {
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
  const deadline = withFirstActivityTiming(departmentPlan, { kind: 'deadline', by: '2024-06-20', wording: 'trước ngày 20/6' });
  expect(proposeCalendar(deadline, { from: '2024-06-01', to: '2024-06-30' }).slots.map((slot) => slot.at)).toEqual([
    '2024-06-20T08:00:00+07:00',
  ]);
  const window = withFirstActivityTiming(departmentPlan, { kind: 'window', from: '2024-06-10', to: '2024-06-16', wording: 'từ 10/6 đến 16/6' });
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
  expect(proposeCalendar(ninhThuan, { from: '2023-04-01', to: '2023-06-30' })).toEqual({ items: [], slots: [] });
});

test('a period that ends before it starts, or is not a date, is refused', () => {
  expect(() => proposeCalendar(socTrangPlan, { from: '2022-03-10', to: '2022-03-01' })).toThrow(RangeError);
  expect(() => proposeCalendar(socTrangPlan, { from: '10/3/2022', to: '2022-03-31' })).toThrow(/không phải ngày hợp lệ/);
});
