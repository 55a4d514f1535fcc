/**
 * The day's .docx is packed from parts the `docx` package made once, with the day's paragraphs written by Loa: the
 * result must say exactly what `docx` itself would write for the same programme, part by part.
 */
import type { Programme, ProgrammeEntry, TimedSlot } from '../../channels/radio/programme';
import { programmeDocx, programmeDocxByPackage } from '../../channels/radio/programme-files';
import { unzip } from '../../channels/radio/zip';
import type { Priority } from '../../src/domain/content-item';

function entry(n: number, priority: Priority, title: string, text: string): ProgrammeEntry {
  return {
    publicationId: `p${n}`,
    time: `06:0${n}`,
    title,
    priority,
    text,
    syllables: 12,
    seconds: 4,
    warnings: [],
    preview: { kind: 'off' },
  };
}

function slot(name: string, start: string, entries: ProgrammeEntry[], overBySeconds = 0): TimedSlot {
  const frame = (text: string) => ({ text, syllables: 3, seconds: 1, warnings: [] });
  return {
    slot: { name, start, minutes: 15 },
    opening: frame('Đây là Đài xã Tân Lập.\n  Buổi sáng ngày 23/11/2026, mời bà con nghe tin.'),
    closing: frame('Cảm ơn bà con đã lắng nghe.'),
    entries,
    seconds: 120,
    overBySeconds,
  };
}

/** Every part of the package, by name: what a reader of the file sees (zip headers aside). */
function parts(zip: Buffer): Record<string, string> {
  return Object.fromEntries(unzip(zip).map((part) => [part.name, part.data.toString('utf8')]));
}

const ODD = `Tin "gấp" <số 1> & 'trích'\u0001\u000b tab\there`;

const programmes: Array<[string, Programme]> = [
  [
    'two slots, notes, every priority, indented breath lines',
    {
      stationName: 'Đài truyền thanh xã Tân Lập',
      date: '23/11/2026',
      notes: ['Buổi sáng VƯỢT 5 giây', 'câu dài 40 âm tiết'],
      slots: [
        slot(
          'Buổi sáng',
          '06:00',
          [
            entry(1, 'khan-cap', 'Cảnh báo lũ', 'Câu một.\n  tiếp theo hơi thở.\nCâu hai.'),
            entry(2, 'uu-tien', 'Tiêm chủng', 'Một câu.'),
          ],
          5,
        ),
        slot('Buổi chiều', '17:00', [entry(3, 'thong-thuong', 'Thủ tục', 'Nội dung.\n\n  \nDòng cuối.')]),
      ],
    },
  ],
  [
    'no notes: the first slot starts on the first page',
    {
      stationName: 'Đài xã',
      date: '01/01/2027',
      notes: [],
      slots: [slot('Buổi sáng', '06:00', [entry(1, 'thong-thuong', 'Bài 1', 'Văn bản.')])],
    },
  ],
  ['an empty day', { stationName: '', date: '02/01/2027', notes: [], slots: [] }],
  [
    'characters XML must escape or cannot carry',
    {
      stationName: ODD,
      date: '03/01/2027',
      notes: [ODD],
      slots: [slot(ODD, '06:00', [entry(1, 'khan-cap', ODD, `${ODD}\n  ${ODD}`)])],
    },
  ],
];

describe("the day programme's .docx", () => {
  test.each(programmes)('%s: every part is what the docx package writes', async (_name, programme) => {
    const made = parts(await programmeDocx(programme, '2026-11-23'));
    const reference = parts(await programmeDocxByPackage(programme, '2026-11-23'));
    expect(Object.keys(made)).toEqual(Object.keys(reference));
    for (const name of Object.keys(reference)) expect([name, made[name]]).toEqual([name, reference[name]]);
  });

  test('the same programme gives the same bytes, and another day another core.xml', async () => {
    const [, programme] = programmes[0]!;
    const once = await programmeDocx(programme, '2026-11-23');
    expect((await programmeDocx(programme, '2026-11-23')).equals(once)).toBe(true);
    const other = parts(await programmeDocx(programme, '2026-11-24'));
    expect(other['docProps/core.xml']).toContain('2026-11-24T00:00:00Z');
    expect(other['word/document.xml']).toBe(parts(once)['word/document.xml']);
  });
});
