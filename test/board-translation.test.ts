import fs from 'node:fs';
import path from 'node:path';

import vietnamese from '../src/http/pages/bull-board-vi.json';

/** The English the installed bull-board ships: the keys its UI asks for. */
const ENGLISH_FILE = path.join(
  path.dirname(require.resolve('@bull-board/ui/package.json')),
  'dist/static/locales/en-US/messages.json',
);

type Messages = { [key: string]: string | Messages };

/** Every message by its dotted key, e.g. `QUEUE.STATUS.FAILED`. */
function flatten(messages: Messages, prefix = ''): Map<string, string> {
  const flat = new Map<string, string>();
  for (const [key, value] of Object.entries(messages)) {
    if (typeof value === 'string') flat.set(prefix + key, value);
    else for (const [inner, text] of flatten(value, `${prefix}${key}.`)) flat.set(inner, text);
  }
  return flat;
}

/** What i18next fills in or nests: {{count}}, $t(JOB.REPEAT); sorted, so their order in the sentence may change. */
function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{[^}]*\}\}|\$t\([^)]*\)/g)].map((m) => m[0]).sort();
}

describe('the Vietnamese translation of the queue board', () => {
  const english = flatten(JSON.parse(fs.readFileSync(ENGLISH_FILE, 'utf8')) as Messages);
  const translated = flatten(vietnamese as Messages);

  test('has exactly the keys of the English bull-board ships, plural and context suffixes included', () => {
    expect([...translated.keys()].sort()).toEqual([...english.keys()].sort());
  });

  test('keeps every placeholder and nested message of each English text, and leaves no text untranslated', () => {
    const mismatched = [...english].filter(
      ([key, text]) => placeholders(translated.get(key) ?? '').join() !== placeholders(text).join(),
    );
    expect(mismatched).toEqual([]);
    // Texts that are only placeholders, units or empty may rightly stay as they are; anything with a word must change.
    const untouched = [...english].filter(
      ([key, text]) =>
        /[a-z]{3}/i.test(text.replace(/\{\{[^}]*\}\}|\$t\([^)]*\)/g, '')) && translated.get(key) === text,
    );
    expect(untouched).toEqual([]);
  });
});
