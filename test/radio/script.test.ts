import { buildScript, formatDuration, readingSeconds } from '../../channels/radio/script';
import { loadAbbreviations } from '../../src/speech/dictionary';

const options = {
  dialect: 'north' as const,
  abbreviations: loadAbbreviations(),
  syllablesPerMinute: 200,
  breathSyllables: 28,
};

describe('script for the ear', () => {
  test('reading time at 200 syllables a minute, rounded up', () => {
    expect(readingSeconds(200, 200)).toBe(60);
    expect(readingSeconds(201, 200)).toBe(61);
    expect(readingSeconds(100, 150)).toBe(40);
    expect(readingSeconds(0, 200)).toBe(0);
    expect(formatDuration(125)).toBe('2 phút 5 giây');
    expect(formatDuration(40)).toBe('40 giây');
    expect(formatDuration(900)).toBe('15 phút');
  });

  test('numbers, dates and abbreviations become words; syllables and seconds are counted on what is said', () => {
    const script = buildScript('Kế hoạch số 107/KH-UBND ngày 28/3/2025.', options);
    expect(script.text).toBe(
      'Kế hoạch số một trăm linh bảy của Ủy ban nhân dân ngày hai mươi tám tháng ba năm hai nghìn không trăm hai mươi lăm.',
    );
    expect(script.text).not.toMatch(/\d/);
    expect(script.syllables).toBe(26);
    expect(script.seconds).toBe(8);
  });

  test('the station dialect is used', () => {
    expect(buildScript('Có 105 hộ.', { ...options, dialect: 'south' }).text).toBe('Có một trăm lẻ năm hộ.');
    expect(buildScript('Có 105 hộ.', options).text).toBe('Có một trăm linh năm hộ.');
  });

  test('normaliser warnings and unbreathable sentences are kept', () => {
    const script = buildScript(`Số 3,143 hộ. ${Array.from({ length: 32 }, () => 'dân').join(' ')}.`, options);
    expect(script.warnings.some((w) => w.includes('3,143') || w.includes('3.143'))).toBe(true);
    expect(script.warnings.some((w) => w.startsWith('câu dài 32 âm tiết'))).toBe(true);
  });
});
