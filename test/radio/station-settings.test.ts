import { parseStationSettings, StationSettingsError } from '../../channels/radio/station-settings';

function errorOf(raw: unknown): StationSettingsError {
  try {
    parseStationSettings(raw);
  } catch (error) {
    if (error instanceof StationSettingsError) return error;
    throw error;
  }
  throw new Error('expected a StationSettingsError');
}

describe('station settings', () => {
  test('empty settings give the defaults', () => {
    expect(parseStationSettings({})).toEqual({
      dialect: 'north',
      syllablesPerMinute: 200,
      breathSyllables: 28,
      preview: true,
      voice: 'vi',
      slots: [
        { name: 'Buổi sáng', start: '06:00', minutes: 15 },
        { name: 'Buổi chiều', start: '17:00', minutes: 15 },
      ],
    });
  });

  test('slots are sorted by start; the southern dialect picks the southern voice', () => {
    const settings = parseStationSettings({
      dialect: 'south',
      slots: [
        { name: 'Tối', start: '19:00', minutes: 10 },
        { name: 'Trưa', start: '11:30', minutes: 5 },
      ],
    });
    expect(settings.slots.map((s) => s.start)).toEqual(['11:30', '19:00']);
    expect(settings.voice).toBe('vi-vn-x-south');
  });

  test.each([
    [{ syllablesPerMinute: 50 }, 'syllablesPerMinute', 'từ 80 trở lên'],
    [{ syllablesPerMinute: '200' }, 'syllablesPerMinute', 'phải là một số'],
    [{ dialect: 'bac' }, 'dialect', 'phương ngữ'],
    [{ slots: [] }, 'slots', 'ít nhất một buổi'],
    [{ slots: [{ name: 'Sáng', start: '6h', minutes: 15 }] }, 'slots.0.start', 'HH:mm'],
    [{ slots: [{ name: 'Sáng', start: '06:00', minutes: 0 }] }, 'slots.0.minutes', 'từ 1 trở lên'],
    [
      {
        slots: [
          { name: 'Sáng', start: '06:00', minutes: 15 },
          { name: 'Sớm', start: '06:00', minutes: 5 },
        ],
      },
      'slots.1.start',
      'cùng bắt đầu',
    ],
    [{ slots: [{ name: '', start: '06:00', minutes: 15 }] }, 'slots.0.name', 'không được để trống'],
    [{ speed: 200 }, 'speed', 'gõ sai'],
    [{ preview: 'yes' }, 'preview', 'true hoặc false'],
  ])('%j is refused, naming %s', (raw, field, words) => {
    const error = errorOf(raw);
    expect(error.field).toBe(field);
    expect(error.message).toContain(`"${field}"`);
    expect(error.message).toContain(words);
  });
});
