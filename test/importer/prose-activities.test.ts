import { findTimingWording, importPlanText, parsePlanText } from '../support/importer';

/** A district plan with no "a) …" list: its activities are sentences of its forms and implementation parts. */
const DISTRICT_PLAN = [
  'ỦY BAN NHÂN DÂN',
  'HUYỆN ĐỊNH QUÁN',
  'Số: 36/KH-UBND',
  'Định Quán, ngày 20 tháng 02 năm 2025',
  'KẾ HOẠCH',
  'Thông tin, tuyên truyền cải cách hành chính năm 2025',
  'Căn cứ Quyết định số 12/QĐ-UBND ngày 05/01/2025 của UBND tỉnh về việc tổ chức Cuộc thi tìm hiểu cải cách hành chính trên địa bàn tỉnh;',
  'I. MỤC ĐÍCH, YÊU CẦU',
  '1. Mục đích',
  'Tổ chức tốt các hội nghị, tọa đàm nhằm nâng cao nhận thức của cán bộ, công chức về cải cách hành chính.',
  'II. NỘI DUNG TUYÊN TRUYỀN',
  '- Kết quả cải cách thủ tục hành chính của huyện.',
  'III. HÌNH THỨC TUYÊN TRUYỀN',
  '- Tuyên truyền trên Trang thông tin điện tử huyện và hệ thống truyền thanh cơ sở.',
  '- Tổ chức hội nghị đối thoại giữa lãnh đạo huyện với doanh nghiệp, tọa đàm về chuyển đổi số trong 6 tháng đầu năm.',
  'IV. TỔ CHỨC THỰC HIỆN',
  '1. Phòng Nội vụ',
  '- Chủ trì, phối hợp với Phòng Tư pháp tổ chức Hội nghị tập huấn công tác tuyên truyền cải cách hành chính trong Quý II.',
  '- Phát động Cuộc thi tìm hiểu về cải cách hành chính trên địa bàn huyện trước ngày 15/6.',
  '2. Trung tâm Văn hóa, Thông tin và Thể thao huyện',
  '- Xây dựng chuyên mục “Cải cách hành chính” trên sóng truyền thanh, phát hằng tháng.',
  '3. UBND huyện giao Văn phòng HĐND và UBND huyện chủ trì, phối hợp với Phòng Văn hóa và Thông tin đăng tải tin bài về cải cách hành chính trên Trang thông tin điện tử huyện thường xuyên.',
  '4. Các cơ quan, đơn vị tăng cường tuyên truyền cải cách hành chính; báo cáo kết quả về Phòng Nội vụ trước ngày 10/12.',
].join('\n');

const plan = parsePlanText(DISTRICT_PLAN);
const unitName = (key: string) => plan.units.find((unit) => unit.key === key)?.name;
const read = plan.activities.map((activity) => ({
  label: activity.label,
  title: activity.title,
  timing: activity.timing,
  lead: activity.leadUnitKeys.map(unitName),
  partners: activity.partnerUnitKeys.map(unitName),
}));

test('activities stated in forms and implementation prose are read with their timing, lead and partner units', () => {
  expect(read).toEqual([
    {
      label: '1',
      title:
        'Tổ chức hội nghị đối thoại giữa lãnh đạo huyện với doanh nghiệp, tọa đàm về chuyển đổi số trong 6 tháng đầu năm',
      timing: { kind: 'window', from: '2025-01-01', to: '2025-06-30', wording: '6 tháng đầu năm' },
      lead: [],
      partners: [],
    },
    {
      label: '2',
      title: 'Tổ chức Hội nghị tập huấn công tác tuyên truyền cải cách hành chính trong Quý II',
      timing: { kind: 'window', from: '2025-04-01', to: '2025-06-30', wording: 'trong Quý II' },
      lead: ['Phòng Nội vụ'],
      partners: ['Phòng Tư pháp'],
    },
    {
      label: '3',
      title: 'Phát động Cuộc thi tìm hiểu về cải cách hành chính trên địa bàn huyện trước ngày 15/6',
      timing: { kind: 'deadline', by: '2025-06-15', wording: 'trước ngày 15/6' },
      lead: ['Phòng Nội vụ'],
      partners: [],
    },
    {
      label: '4',
      title: 'Xây dựng chuyên mục “Cải cách hành chính” trên sóng truyền thanh, phát hằng tháng',
      timing: { kind: 'recurring', every: 'month', wording: 'hằng tháng' },
      lead: ['Trung tâm Văn hóa, Thông tin và Thể thao huyện'],
      partners: [],
    },
    {
      label: '5',
      title: 'Đăng tải tin bài về cải cách hành chính trên Trang thông tin điện tử huyện thường xuyên',
      timing: { kind: 'recurring', every: 'week', wording: 'thường xuyên' },
      lead: ['Văn phòng HĐND và UBND huyện'],
      partners: ['Phòng Văn hóa và Thông tin'],
    },
  ]);
});

test('goals, cited documents and "tuyên truyền …" sentences give no activity', () => {
  const titles = plan.activities.map((activity) => activity.title).join('\n');
  expect(titles).not.toMatch(
    /nâng cao nhận thức|Cuộc thi tìm hiểu cải cách hành chính trên địa bàn tỉnh|tăng cường tuyên truyền/u,
  );
});

test('words that only look like an activity give none: a programme document, "phát huy", "xây dựng" a content', () => {
  const plan = parsePlanText(
    [
      'Số: 6/KH-UBND',
      'KẾ HOẠCH',
      'II. NỘI DUNG TUYÊN TRUYỀN',
      '- Kết quả cải cách thủ tục hành chính.',
      'IV. TỔ CHỨC THỰC HIỆN',
      '1. Các phòng, ban triển khai thực hiện Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021-2030.',
      '2. Phát huy vai trò cơ quan thông tin đại chúng; xây dựng nội dung tuyên truyền phù hợp; mở rộng các chương trình hợp tác.',
    ].join('\n'),
  );
  expect(plan.activities).toEqual([]);
});

test('the confidence report no longer lists activities as empty once prose states them', () => {
  expect(importPlanText(DISTRICT_PLAN).report.emptyFields).not.toContain('activities');
});

test('a plan with its own list "a) …" keeps that list and adds nothing from prose', () => {
  const listed = parsePlanText(
    DISTRICT_PLAN.replace(
      'IV. TỔ CHỨC THỰC HIỆN',
      'IV. HOẠT ĐỘNG TRỌNG TÂM\na) Đăng tải tin bài trên Trang thông tin điện tử huyện.\n- Thời gian thực hiện: thường xuyên.\nV. TỔ CHỨC THỰC HIỆN',
    ),
  );
  expect(listed.activities.map((activity) => activity.label)).toEqual(['a']);
});

test('a plan whose prose states no activity has none, and the report says so', () => {
  const goalsOnly = importPlanText(
    [
      'Số: 5/KH-UBND',
      'KẾ HOẠCH',
      'I. MỤC ĐÍCH, YÊU CẦU',
      'Tổ chức tốt các hội nghị, tọa đàm về cải cách hành chính.',
      'II. NỘI DUNG TUYÊN TRUYỀN',
      '- Kết quả cải cách thủ tục hành chính.',
    ].join('\n'),
  );
  expect(goalsOnly.plan.activities).toEqual([]);
  expect(goalsOnly.report.emptyFields).toContain('activities');
});

test('in a news summary, what the plan aims at is no activity; what it says will be done is', () => {
  const news = parsePlanText(
    [
      'Ngày 17/02/2025, UBND xã Tân Phú ban hành Kế hoạch số 14/KH-UBND về tuyên truyền cải cách hành chính năm 2025.',
      'Mục tiêu của Kế hoạch là tổ chức các hội nghị, tọa đàm thiết thực để nâng cao nhận thức của người dân.',
      'Kế hoạch nhằm phát động phong trào thi đua cải cách hành chính trong toàn xã.',
      'Theo đó, Văn phòng UBND xã chủ trì phối hợp với Đài Truyền thanh xã xây dựng chuyên mục cải cách hành chính phát hằng tháng.',
    ].join('\n'),
  );
  expect(news.activities.map((activity) => [activity.title, activity.timing?.kind])).toEqual([
    ['Xây dựng chuyên mục cải cách hành chính phát hằng tháng', 'recurring'],
  ]);
});

test('a plan with no forms part counts the forms its prose activities name among its channels, in the order it names them', () => {
  const news = parsePlanText(
    [
      'Ngày 10/3/2025, UBND xã Phú Lợi ban hành Kế hoạch số 20/KH-UBND về tuyên truyền cải cách hành chính năm 2025.',
      'Theo đó, xã tổ chức tọa đàm, hội nghị đối thoại với Nhân dân; đẩy mạnh tuyên truyền trên Trang thông tin điện tử của xã; xây dựng các phóng sự, video clip về cải cách hành chính hằng quý.',
    ].join('\n'),
  );
  expect(news.channels.map((channel) => channel.platform ?? channel.offlineForm)).toEqual(['hoi-nghi', 'rss', 'video']);
});

test.each([
  ['Tổ chức Hội nghị trong Quý II/2025 tại huyện', 'trong Quý II/2025'],
  ['đăng tải hằng tháng trên Cổng thông tin', 'hằng tháng'],
  ['hoàn thành trước ngày 15/6', 'trước ngày 15/6'],
  ['Năm 2021, tỉnh tiếp tục duy trì các chuyên mục', 'Năm 2021'],
  ['cập nhật Kế hoạch cải cách hành chính năm 2025 lên Cổng', null],
])('the time a sentence states: %s', (sentence, wording) => {
  expect(findTimingWording(sentence)).toBe(wording);
});
