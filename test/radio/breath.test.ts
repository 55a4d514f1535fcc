import { breathGroups, countSyllables, layoutForBreath, splitSentences } from '../../channels/radio/breath';

const words = (n: number, word = 'xã') => Array.from({ length: n }, () => word).join(' ');

describe('breath groups', () => {
  test('syllables are the words that have a letter or a digit', () => {
    expect(countSyllables('Ủy ban nhân dân xã – thông báo: 3 điều.')).toBe(9);
    expect(countSyllables('  \n ')).toBe(0);
  });

  test('a sentence within the limit is left whole', () => {
    const sentence = `${words(10)}, ${words(10)}.`;
    expect(breathGroups(sentence, 28)).toEqual([sentence]);
  });

  test('a long sentence is split at the comma that leaves the halves most even', () => {
    const sentence = `${words(5, 'một')}, ${words(15, 'hai')}, ${words(16, 'ba')}.`;
    const groups = breathGroups(sentence, 28);
    expect(groups).toEqual([`${words(5, 'một')}, ${words(15, 'hai')},`, `${words(16, 'ba')}.`]);
    for (const group of groups) expect(countSyllables(group)).toBeLessThanOrEqual(28);
  });

  test('without a comma it breaks before a conjunction and adds the pause as a comma', () => {
    const sentence = `${words(18, 'nộp')} và ${words(17, 'nhận')}.`;
    expect(breathGroups(sentence, 28)).toEqual([`${words(18, 'nộp')},`, `và ${words(17, 'nhận')}.`]);
  });

  test('a comma is preferred to a conjunction nearby', () => {
    const sentence = `${words(16, 'a')}, ${words(1, 'b')} và ${words(16, 'c')}.`;
    expect(breathGroups(sentence, 28)[0]).toBe(`${words(16, 'a')},`);
  });

  test('it splits again until every piece fits', () => {
    const sentence = Array.from({ length: 6 }, () => words(12)).join(', ') + '.';
    const groups = breathGroups(sentence, 28);
    expect(groups.length).toBeGreaterThanOrEqual(3);
    for (const group of groups) expect(countSyllables(group)).toBeLessThanOrEqual(28);
    expect(groups.join(' ')).toBe(sentence);
  });

  test('with neither comma nor conjunction it breaks before a phrase opener, adding no comma', () => {
    const sentence = `Thực hiện ${words(14, 'kế')} của ${words(14, 'ủy')}.`;
    expect(breathGroups(sentence, 28)).toEqual([`Thực hiện ${words(14, 'kế')}`, `của ${words(14, 'ủy')}.`]);
    const withComma = `${words(6, 'a')}, ${words(10, 'b')} của ${words(14, 'c')}.`;
    expect(breathGroups(withComma, 28)[0]).toBe(`${words(6, 'a')},`);
  });

  test('no piece shorter than four syllables is cut off', () => {
    expect(breathGroups(`${words(2)}, ${words(40)}.`, 28)).toHaveLength(1);
  });

  test('sentences split after . ! ? and the layout keeps paragraphs and reports what it cannot split', () => {
    expect(splitSentences('Một hai. Ba bốn! Năm?')).toEqual(['Một hai.', 'Ba bốn!', 'Năm?']);
    const long = `${words(35)}.`;
    const laid = layoutForBreath(`Tiêu đề.\n\n\n${words(18)} và ${words(17)}. Hết.\n${long}`, 28);
    expect(laid.text).toBe(`Tiêu đề.\n\n${words(18)},\n  và ${words(17)}.\nHết.\n${long}`);
    expect(laid.unsplit).toEqual([long]);
  });
});
