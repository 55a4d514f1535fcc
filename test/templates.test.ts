import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { TemplateError, Templates } from '../channels/template';

function dirWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-tpl-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const data = { item: { title: 'Tiêu đề', body: 'a < b & c' } };

describe('officer-editable templates', () => {
  test('render the data they are given, escaping on request', async () => {
    const templates = new Templates(dirWith({ 'x.liquid': '{{ item.title }}: {{ item.body | escape }}' }));
    expect(await templates.render('x.liquid', data)).toBe('Tiêu đề: a &lt; b &amp; c');
  });

  test.each([
    ['an unknown variable', 'dòng 1\n{{ item.tittle }}', 2, /biến không có: item.tittle/],
    ['an unknown filter', '\n\n{{ item.title | run_shell }}', 3, /bộ lọc không có: run_shell/],
    ['an unclosed tag', 'a\nb\nc\n{% if item.title %}', 4, /chưa được đóng/],
  ])('%s is an error naming the file and line', async (_what, text, line, detail) => {
    const dir = dirWith({ 'bad.liquid': text });
    const error = await new Templates(dir).render('bad.liquid', data).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).line).toBe(line);
    expect((error as Error).message).toMatch(new RegExp(`bad\\.liquid, dòng ${line}: `));
    expect((error as Error).message).toMatch(detail);
  });

  test('5,000 nested blocks are refused in Vietnamese before the parser recurses', async () => {
    const deep = '{% if item.title %}'.repeat(5000) + 'x' + '{% endif %}'.repeat(5000);
    const dir = dirWith({
      'deep.liquid': `dòng 1\n${deep}`,
      'ok.liquid': '{% if item.title %}'.repeat(5) + 'x' + '{% endif %}'.repeat(5),
    });
    const templates = new Templates(dir);
    for (const attempt of [() => templates.check('deep.liquid'), () => templates.render('deep.liquid', data)]) {
      const error = await Promise.resolve()
        .then(attempt)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TemplateError);
      expect((error as Error).message).toMatch(/deep\.liquid, dòng 2: các khối lồng nhau quá sâu \(tối đa 50 tầng\)/);
      expect((error as Error).message).not.toMatch(/Maximum call stack/);
    }
    expect(await templates.render('ok.liquid', data)).toBe('x');
  });

  test('a sound template that ran out of time on a busy worker is worth another try; a broken one is not (found by npm run chaos)', async () => {
    const dir = dirWith({
      'main.liquid': '{% for i in (1..3) %}{% include "part.liquid" %}{% endfor %}',
      'part.liquid': '{{ item.title }};',
      'bad.liquid': '{{ item.tittle }}',
    });
    const templates = new Templates(dir);
    const rendering = templates.render('main.liquid', data).catch((e: unknown) => e);
    // Other work holds the event loop past the render's limit, as a burst of jobs does on a loaded worker.
    const until = Date.now() + 2_200;
    while (Date.now() < until);
    const late = await rendering;
    expect(late).toBeInstanceOf(TemplateError);
    expect((late as TemplateError).retryable).toBe(true);
    expect(await templates.render('main.liquid', data)).toBe('Tiêu đề;Tiêu đề;Tiêu đề;');
    expect(((await templates.render('bad.liquid', data).catch((e: unknown) => e)) as TemplateError).retryable).toBe(
      false,
    );
  });

  test('no code runs: JavaScript in a template is printed or refused, never executed', async () => {
    const marker = path.join(os.tmpdir(), `loa-pwned-${process.pid}`);
    const templates = new Templates(
      dirWith({
        'js.liquid': `{{ item.title.constructor }}{% assign x = "require('fs').writeFileSync('${marker}','x')" %}{{ x }}`,
      }),
    );
    await templates.render('js.liquid', data).catch(() => undefined);
    expect(fs.existsSync(marker)).toBe(false);
  });

  test('an edited template is picked up without a restart', async () => {
    const dir = dirWith({ 'x.liquid': 'một' });
    const templates = new Templates(dir);
    expect(await templates.render('x.liquid', data)).toBe('một');
    const file = path.join(dir, 'x.liquid');
    fs.writeFileSync(file, 'hai');
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(await templates.render('x.liquid', data)).toBe('hai');
  });

  test('the shipped templates all parse', () => {
    const shipped = path.resolve(__dirname, '../templates');
    const templates = new Templates(shipped);
    const names = fs.readdirSync(shipped).filter((n) => n.endsWith('.liquid'));
    expect(names).toEqual(expect.arrayContaining(['rss.liquid', 'radio.liquid']));
    for (const name of names) expect(() => templates.check(name)).not.toThrow();
  });
});
