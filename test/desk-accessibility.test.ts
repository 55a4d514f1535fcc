import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { launchBrowser } from './support/browser';
import {
  contextFor,
  DESK_STOPS,
  type DeskStop,
  openStop,
  type Person,
  QUEUE_BOARD,
  startDeskTour,
} from './support/desk-tour';

/** WCAG 2.1 levels A and AA, as axe-core tags its rules. */
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** A phone and a laptop, as the screenshot tour shows them. */
const WIDTHS = [390, 1366];
/** WCAG 2.1, 1.4.11: the parts of a control a person needs to see it, and the focus indicator, at 3:1 or more. */
const NON_TEXT_CONTRAST = 3;

/**
 * axe-core's violations of `rules` (or of every WCAG 2.1 A/AA rule), one line each with the elements found: the
 * failure message lists them. axe is in every page of the test's contexts (see pageFor).
 */
async function violations(page: Page, only?: string[]): Promise<string[]> {
  const results = await page.evaluate(
    (options) => (window as unknown as { axe: typeof axe }).axe.run(document, options),
    {
      runOnly: only ? { type: 'rule' as const, values: only } : { type: 'tag' as const, values: WCAG_21_AA },
      resultTypes: ['violations' as const],
    },
  );
  return results.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .slice(0, 5)
        .map((n) => n.target.join(' '))
        .join(', ')}${v.nodes.length > 5 ? ` … ${v.nodes.length} chỗ` : ''}`,
  );
}

/** Puts the keyboard's starting point back at the top of the page, as when it has just loaded. */
async function fromTheTop(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.scrollTo(0, 0);
    document.body.tabIndex = -1;
    document.body.focus();
    document.body.removeAttribute('tabindex');
  });
}

/**
 * The first Tab from the top of the page reaches a visible link to the main content, and following it puts the focus
 * in <main>, past the header's links (reading and tabbing go on from there). What is wrong, or null.
 */
async function skipLinkProblem(page: Page): Promise<string | null> {
  await fromTheTop(page);
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => {
    const link = document.activeElement as HTMLAnchorElement | null;
    const box = link?.getBoundingClientRect();
    const target = link?.hash ? document.getElementById(link.hash.slice(1)) : null;
    return {
      tag: link?.tagName ?? '',
      text: link?.textContent?.trim() ?? '',
      hash: link?.hash ?? '',
      visible: Boolean(box && box.width > 0 && box.height > 0 && box.top >= 0 && box.bottom <= innerHeight),
      targetIsMain: target?.tagName === 'MAIN',
    };
  });
  if (first.tag !== 'A' || !first.targetIsMain)
    return `lần Tab đầu tới ${first.tag || 'không gì'} "${first.text}" (${first.hash || 'không có #'}), không phải liên kết tới <main>`;
  if (!first.visible) return `liên kết "${first.text}" không hiện trong màn hình khi được chọn`;
  await page.keyboard.press('Enter');
  const inMain = await page.evaluate(() => Boolean(document.querySelector('main')?.contains(document.activeElement)));
  return inMain ? null : `bấm "${first.text}" không đưa con trỏ vào nội dung chính`;
}

/** The width the page is laid out at, and how far in CSS px it reaches beyond it (0: nothing to scroll sideways). */
const layout = (page: Page) =>
  page.evaluate(() => ({
    width: document.documentElement.clientWidth,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  }));

/**
 * In the page: the contrast ratio of two computed colours (WCAG's relative luminance), and the opaque colour behind an
 * element (its nearest ancestor with a background, white at the root). Given to page.evaluate as source text.
 */
const COLOUR_HELPERS = `
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const luminance = (c) => {
    const [r, g, b] = rgb(c).slice(0, 3).map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return Math.round(((x + 0.05) / (y + 0.05)) * 100) / 100;
  };
  const behind = (el) => {
    for (let at = el; at; at = at.parentElement) {
      const c = getComputedStyle(at).backgroundColor;
      if (rgb(c)[3] !== 0) return c;
    }
    return 'rgb(255, 255, 255)';
  };
  const name = (el) => el.tagName.toLowerCase() + (el.name ? '[name=' + el.name + ']' : '') + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '');
`;

/** Text fields, lists and text areas whose border is under 3:1 against what is around or inside them. */
function faintBorders(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {${COLOUR_HELPERS}
    const faint = [];
    for (const el of document.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file]), select, textarea')) {
      if (!el.getClientRects().length) continue;
      const style = getComputedStyle(el);
      const border = style.borderTopColor;
      for (const [where, colour] of [['quanh', behind(el.parentElement)], ['trong', behind(el)]]) {
        const ratio = contrast(border, colour);
        if (ratio < ${NON_TEXT_CONTRAST}) faint.push(name(el) + ': viền ' + border + ' trên nền ' + where + ' ' + colour + ' = ' + ratio + ':1');
      }
    }
    return faint;
  })()`);
}

/**
 * Tabs through the first `stops` controls and says of each whose focus ring is missing, thinner than 2 px or under 3:1
 * against the page around it (the ring is drawn outside the control, with a white halo between).
 */
async function faintFocusRings(page: Page, stops: number): Promise<string[]> {
  const faint: string[] = [];
  await fromTheTop(page);
  for (let i = 0; i < stops; i++) {
    await page.keyboard.press('Tab');
    const problem = await page.evaluate(`(() => {${COLOUR_HELPERS}
      const el = document.activeElement;
      if (!el || el === document.body) return 'hết';
      const style = getComputedStyle(el);
      if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 2)
        return name(el) + ': không có viền khi được chọn (' + style.outlineStyle + ' ' + style.outlineWidth + ')';
      const around = behind(el.parentElement);
      const ratios = [contrast(style.outlineColor, around), contrast(style.outlineColor, 'rgb(255, 255, 255)')];
      return Math.min(...ratios) < ${NON_TEXT_CONTRAST}
        ? name(el) + ': viền ' + style.outlineColor + ' trên nền ' + around + ' = ' + ratios.join(':1 / ') + ':1'
        : null;
    })()`);
    if (problem === 'hết') break;
    if (problem) faint.push(String(problem));
  }
  return faint;
}

describe('the desk for a keyboard, a screen reader and a small screen', () => {
  let browser: Browser;
  let tour: Awaited<ReturnType<typeof startDeskTour>>;
  const contexts = new Map<string, BrowserContext>();

  /** One signed-in context per person and width, for the whole file. */
  async function pageFor(who: Person | null, width: number): Promise<Page> {
    const key = `${who}-${width}`;
    if (!contexts.has(key)) {
      const context = await contextFor(browser, tour.base, who, width);
      // Given through DevTools before the page's own scripts: the desk's CSP runs no inline script.
      await context.addInitScript(axe.source);
      contexts.set(key, context);
    }
    return contexts.get(key)!.newPage();
  }

  async function opened(stop: DeskStop, width: number): Promise<Page> {
    const page = await pageFor(stop.who, width);
    await openStop(page, tour.base, stop, tour.seeded);
    return page;
  }

  beforeAll(async () => {
    [tour, browser] = await Promise.all([startDeskTour(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await tour?.close();
  });

  test.each(DESK_STOPS.map((stop) => [stop.name, stop] as const))(
    '%s: no WCAG 2.1 A/AA violation at 390 and 1366 px, a skip link first, control borders and focus rings at 3:1',
    async (_name, stop) => {
      for (const width of WIDTHS) {
        const page = await opened(stop, width);
        expect({ width, violations: await violations(page) }).toEqual({ width, violations: [] });
        expect({ width, borders: await faintBorders(page) }).toEqual({ width, borders: [] });
        if (!stop.outsideDesk)
          expect({ width, skipLink: await skipLinkProblem(page) }).toEqual({ width, skipLink: null });
        // The skip link, the header's links and the page's first controls, as a keyboard reaches them.
        if (width === 1366) expect(await faintFocusRings(page, 25)).toEqual([]);
        await page.close();
      }
    },
  );

  test('the write and edit pages and a published post fit a 320 px screen without scrolling sideways', async () => {
    for (const name of ['viet-bai', 'viet-bai-xem-truoc', 'sua-bai', 'bai-dang-cong-khai']) {
      const page = await opened(
        DESK_STOPS.find((s) => s.name === name)!,
        320,
      );
      // Laid out at the screen's width (a page without a viewport tag is laid out at 980 px and shrunk), with nothing
      // wider than it.
      expect({ name, ...(await layout(page)) }).toEqual({ name, width: 320, overflow: 0 });
      await page.close();
    }
  });

  // bull-board's own markup and styles are not ours (the contrast of its badges, its logo): what Loa sets is the page's
  // language, the names of the buttons it draws with icons only, and the translated texts the names are made of.
  test('the queue board says its language and names its icon-only buttons', async () => {
    const page = await opened(QUEUE_BOARD, 1366);
    await page.getByText('publish-rss').first().waitFor();
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('vi');
    expect(
      await violations(page, [
        'html-has-lang',
        'html-lang-valid',
        'valid-lang',
        'button-name',
        'link-name',
        'label-content-name-mismatch',
      ]),
    ).toEqual([]);
    await page.close();
  });
});
