import path from 'node:path';
import { Worker } from 'node:worker_threads';

import fc from 'fast-check';

/**
 * The reader must finish every line, whatever it holds. Each line gets a time budget far above what it needs
 * (a few milliseconds for short lines, about a second for 100,000 characters on the development machine):
 * the budget is there to turn a hang into a failure, not to measure speed.
 */
const SHORT_LINE_BUDGET_MS = 3_000;
const LONG_LINE_BUDGET_MS = 20_000;

class Reader {
  private worker = this.start();

  private start(): Worker {
    // tsx's require hook lets the thread load the TypeScript sources as they are.
    const file = path.join(__dirname, 'read-in-worker.ts');
    return new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true });
  }

  /** Resolves with the spoken text, or rejects when the line is not read within the budget. */
  read(line: string, budgetMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.worker.removeAllListeners('message');
        this.worker.removeAllListeners('error');
        void this.worker.terminate();
        this.worker = this.start();
        reject(
          new Error(
            `no answer within ${budgetMs} ms for ${line.length} characters: ${JSON.stringify(line.slice(0, 80))}`,
          ),
        );
      }, budgetMs);
      const onError = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      this.worker.once('error', onError);
      this.worker.once('message', ({ text }: { text: string }) => {
        clearTimeout(timer);
        this.worker.off('error', onError);
        resolve(text);
      });
      this.worker.postMessage(line);
    });
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}

/** Pieces of text that have tripped readers: astral emoji, ZWJ families, flags, bidi controls, CJK, combining marks. */
const TRICKY = [
  '🎉',
  '👨‍👩‍👧‍👦',
  '🏳️‍🌈',
  '🇻🇳',
  '👍🏽',
  '\u200d',
  '\u200b',
  '\u202e',
  '\u202d',
  '\u2066',
  '\u2069',
  '\u200f',
  '中文',
  '한국어',
  'ﷺ',
  'e\u0301',
  '\u0300\u0300\u0300',
  '\ufeff',
  '\ufffd',
  '𝟙𝟚𝟛',
  '٣',
  '½',
  '²',
  '%',
  '/',
  '-',
  ':',
  '.',
  ',',
  '<',
  '&',
  '(',
  ')',
  '@',
  'www.',
  'http://',
  'UBND',
  'Chào',
  'bà con',
  '12',
  '2024',
  '15/3',
  '8h30',
  '0912 345 678',
  'XIV',
  'QĐ-UBND',
  'km',
  'chữ ',
  ' ',
  '\t',
];

const fragment = fc.oneof(
  fc.constantFrom(...TRICKY),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.stringMatching(/^[0-9.,/:\- ]{1,12}$/),
);

/** A line: some fragments, some of them repeated many times over (runaway repetition). */
const line = fc
  .array(fc.tuple(fragment, fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 300 }))), {
    minLength: 1,
    maxLength: 12,
  })
  .map((parts) =>
    parts
      .map(([text, times]) => text.repeat(times))
      .join('')
      .replace(/[\r\n]/g, ' '),
  );

let reader: Reader;
beforeAll(async () => {
  reader = new Reader();
  await reader.read('khởi động', 60_000); // loading the sources in the thread is not part of any line's budget
}, 70_000);
afterAll(async () => {
  await reader.stop();
});

test('the line from the report is read (it used to hang)', async () => {
  await expect(reader.read('Chào 🎉 bà con', SHORT_LINE_BUDGET_MS)).resolves.toBe('Chào 🎉 bà con');
});

test('random Unicode lines are each read within the budget, to one NFC line', async () => {
  await fc.assert(
    fc.asyncProperty(line, async (input) => {
      const said = await reader.read(input, SHORT_LINE_BUDGET_MS);
      expect(said.normalize('NFC')).toBe(said);
      expect(said).not.toMatch(/[\r\n]/);
    }),
    { numRuns: 300, seed: 20261129, endOnFailure: true }, // no shrinking: each failing try costs a whole budget,
  );
}, 120_000);

test.each([
  ['digits', '1'],
  ['dashes between digits', '1-'],
  ['slashes between digits', '1/'],
  ['times', '1h1'],
  ['percent signs', '1% '],
  ['comparison signs', '< '],
  ['dotted numbers', '1.'],
  ['document numbers', 'Số 12/2024/QĐ-UBND ngày 15/3/2024 lúc 8h30 '],
  ['emoji', '🎉'],
  ['ZWJ families', '👨‍👩‍👧'],
  ['bidi overrides', '\u202eab'],
])(
  'a 100,000-character line of %s is read within the budget',
  async (_name, unit) => {
    const input = unit.repeat(Math.ceil(100_000 / unit.length)).slice(0, 100_000);
    const said = await reader.read(input, LONG_LINE_BUDGET_MS);
    expect(said.length).toBeGreaterThan(0);
  },
  LONG_LINE_BUDGET_MS + 10_000,
);
