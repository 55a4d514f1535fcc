import {
  broadcastFor,
  groupIntoSlots,
  overLengthWarning,
  type ProgrammeEntry,
  programmeNotes,
  slotFor,
  timeSlot,
} from '../../channels/radio/programme';
import { programmeText } from '../../channels/radio/programme-files';
import type { Script } from '../../channels/radio/script';
import type { Priority } from '../../src/domain/content-item';

const slots = [
  { name: 'Buổi chiều', start: '17:00', minutes: 15 },
  { name: 'Buổi sáng', start: '06:00', minutes: 15 },
];

function entry(id: string, time: string, priority: Priority = 'thong-thuong', seconds = 60): ProgrammeEntry {
  return {
    publicationId: id,
    time,
    title: `Bài ${id}`,
    priority,
    text: `Nội dung ${id}.`,
    syllables: seconds * 3,
    seconds,
    warnings: [],
    preview: { kind: 'written' },
  };
}

const frame = (seconds: number, warnings: string[] = []): Script => ({ text: 'Lời.', syllables: 1, seconds, warnings });

describe('daily programme', () => {
  test('a script in a day folder is read in the first slot starting at or after its time; one later than every slot (carried over from the evening before) opens the day', () => {
    expect(slotFor('06:00', slots).name).toBe('Buổi sáng');
    expect(slotFor('05:30', slots).name).toBe('Buổi sáng');
    expect(slotFor('06:01', slots).name).toBe('Buổi chiều');
    expect(slotFor('16:59', slots).name).toBe('Buổi chiều');
    expect(slotFor('17:00', slots).name).toBe('Buổi chiều');
    expect(slotFor('23:10', slots).name).toBe('Buổi sáng');
  });

  test('a publication never lands in a slot that has begun: the next slot with a note; after the last one, the next morning with a note', () => {
    expect(broadcastFor('05:30', slots, '24/11/2026')).toEqual({ slot: slots[1], nextDay: false, note: null });
    expect(broadcastFor('06:00', slots, '24/11/2026')).toEqual({ slot: slots[1], nextDay: false, note: null });
    expect(broadcastFor('06:30', slots, '24/11/2026')).toEqual({
      slot: slots[0],
      nextDay: false,
      note: 'đăng lúc 06:30, khi Buổi sáng (06:00) đã bắt đầu: đọc ở Buổi chiều (17:00)',
    });
    expect(broadcastFor('17:00', slots, '24/11/2026')).toEqual({ slot: slots[0], nextDay: false, note: null });
    expect(broadcastFor('21:30', slots, '24/11/2026')).toEqual({
      slot: slots[1],
      nextDay: true,
      note: 'đăng lúc 21:30, sau buổi phát cuối trong ngày (Buổi chiều 17:00): đọc ở Buổi sáng (06:00) ngày 24/11/2026',
    });
    // A station with an evening broadcast keeps late posts that evening.
    const withEvening = [...slots, { name: 'Buổi tối', start: '21:45', minutes: 15 }];
    expect(broadcastFor('21:30', withEvening, '24/11/2026')).toMatchObject({
      slot: { name: 'Buổi tối' },
      nextDay: false,
    });
  });

  test('entries are grouped by slot, khẩn cấp first, then ưu tiên, then by time; empty slots are left out', () => {
    const plans = groupIntoSlots(
      [
        entry('a', '05:50'),
        entry('b', '05:55', 'khan-cap'),
        entry('c', '05:40', 'uu-tien'),
        entry('d', '05:30'),
        entry('e', '16:50', 'uu-tien'),
        entry('f', '16:30'),
      ],
      slots,
    );
    expect(plans.map((p) => [p.slot.name, p.entries.map((e) => e.publicationId)])).toEqual([
      ['Buổi sáng', ['b', 'c', 'd', 'a']],
      ['Buổi chiều', ['e', 'f']],
    ]);
    expect(groupIntoSlots([entry('x', '20:00')], slots).map((p) => p.slot.name)).toEqual(['Buổi sáng']);
  });

  test('a slot whose opening, scripts and closing take longer than its minutes is warned about', () => {
    const [plan] = groupIntoSlots(
      [entry('a', '06:00', 'thong-thuong', 400), entry('b', '05:55', 'thong-thuong', 480)],
      slots,
    );
    const fits = timeSlot(plan!, frame(10), frame(10));
    expect(fits.seconds).toBe(900);
    expect(fits.overBySeconds).toBe(0);
    expect(overLengthWarning(fits)).toBeNull();
    const over = timeSlot(plan!, frame(11), frame(10));
    expect(over.overBySeconds).toBe(1);
    expect(overLengthWarning(over)).toBe(
      'Buổi sáng (06:00, 15 phút): dự kiến đọc 15 phút 1 giây, vượt 1 giây; nên chuyển bớt bài thông thường sang buổi khác',
    );
  });

  test('notes keep over-length, preview and script warnings; the text shows each title once followed by "."', () => {
    const a = {
      ...entry('1', '06:00', 'thong-thuong', 1000),
      warnings: ['"3,143" đọc là ba phẩy …'],
      preview: { kind: 'absent' as const },
    };
    const b = { ...entry('2', '16:10', 'khan-cap'), preview: { kind: 'failed' as const, reason: 'giọng không có' } };
    const timed = groupIntoSlots([a, b], slots).map((p) => timeSlot(p, frame(5, ['mở đầu lạ']), frame(5)));
    const notes = programmeNotes(timed);
    expect(notes[0]).toMatch(/^Buổi sáng \(06:00, 15 phút\): dự kiến đọc 16 phút 50 giây, vượt 1 phút 50 giây/);
    expect(notes).toContain('máy chưa cài espeak-ng: không có bản nghe thử WAV');
    expect(notes).toContain('“Bài 2”: không tạo được bản nghe thử WAV (giọng không có)');
    expect(notes).toContain('Buổi sáng, lời mở đầu: mở đầu lạ');
    expect(notes).toContain('“Bài 1”: "3,143" đọc là ba phẩy …');
    const text = programmeText({ stationName: 'Đài xã', date: '23/11/2026', slots: timed, notes });
    expect(text.split('Bài 1.')).toHaveLength(2);
    expect(text.split('Bài 2.')).toHaveLength(2);
    expect(text).toContain('Mức ưu tiên: KHẨN CẤP · Bài 2. · 16:10');
    expect(text.indexOf('BUỔI SÁNG')).toBeLessThan(text.indexOf('BUỔI CHIỀU'));
    expect(text).toContain('(VƯỢT 1 phút 50 giây)');
  });
});
