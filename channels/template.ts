import fs from 'node:fs';
import path from 'node:path';

import { Liquid, type Template } from 'liquidjs';

import { PRIORITIES } from '../src/domain/content-item';
import { formatLocal } from '../src/domain/time';
import type { PostContext } from './types';

/** A path as a person would find it: relative when inside the current folder. */
function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') ? relative : file;
}

/** A template an officer broke: names the file and line, in Vietnamese. */
export class TemplateError extends Error {
  override name = 'TemplateError';
  constructor(
    readonly file: string,
    readonly line: number | null,
    detail: string,
    /**
     * Worth another try later: only a render that ran out of time. The limit is wall-clock time and an async render
     * shares the worker's event loop with every job in flight, so a sound template runs out of it on a busy worker
     * (found by `npm run chaos`: healthy templates failed publications for good under load). A runaway template
     * still fails, after the job's tries, each bounded by the limit.
     */
    readonly retryable = false,
  ) {
    super(`Mẫu ${file}${line ? `, dòng ${line}` : ''}: ${detail}`);
  }
}

/**
 * Limits on what one template may cost, so an edited template cannot hang or exhaust a worker: characters parsed per
 * render (a template that includes itself stops here), time per render, and memory counted by liquidjs.
 */
export const TEMPLATE_LIMITS = { parseLimit: 200_000, renderLimit: 2_000, memoryLimit: 50_000_000 } as const;

/** Loop ranges written in the template itself are bounded too: a loop with an empty body is not timed by liquidjs. */
const MAX_LITERAL_RANGE = 10_000;

function checkLiteralRanges(source: string, file: string): void {
  for (const match of source.matchAll(/\(\s*(-?\d+)\s*\.\.\s*(-?\d+)\s*\)/g)) {
    if (Math.abs(Number(match[2]) - Number(match[1])) > MAX_LITERAL_RANGE) {
      const line = source.slice(0, match.index).split('\n').length;
      throw new TemplateError(file, line, `vòng lặp ${match[0]} quá dài (tối đa ${MAX_LITERAL_RANGE} vòng)`);
    }
  }
}

/**
 * Blocks nested deeper than this are refused before liquidjs parses them: its parser and renderer recurse once per
 * level, so a few thousand nested `if` exhaust the stack. A real template nests three or four.
 */
const MAX_NESTING = 50;
const OPENING = /\{%-?\s*(if|unless|for|case|capture|tablerow|raw|comment)\b/g;
const TAG = /\{%-?\s*(end)?(if|unless|for|case|capture|tablerow|raw|comment)\b/g;

function checkNesting(source: string, file: string): void {
  if ((source.match(OPENING)?.length ?? 0) <= MAX_NESTING) return; // too few blocks to nest that deep
  let depth = 0;
  for (const match of source.matchAll(TAG)) {
    depth += match[1] ? -1 : 1;
    if (depth > MAX_NESTING) {
      const line = source.slice(0, match.index).split('\n').length;
      throw new TemplateError(file, line, `các khối lồng nhau quá sâu (tối đa ${MAX_NESTING} tầng)`);
    }
  }
}

/**
 * Officer-edited templates in Liquid: no code runs in them (no JS, only the built-in filters), unknown
 * variables and filters are errors rather than silent blanks, and only the data given is visible.
 */
export class Templates {
  private readonly engine: Liquid;
  private readonly cache = new Map<string, { mtimeMs: number; template: Template[] }>();

  constructor(private readonly dir: string) {
    this.engine = new Liquid({
      root: dir,
      strictFilters: true,
      strictVariables: true,
      ownPropertyOnly: true,
      cache: false,
      ...TEMPLATE_LIMITS,
    });
  }

  /** Renders `name` (e.g. "rss.liquid") with the post; the file is re-read when an officer changes it. */
  async render(name: string, data: Record<string, unknown>): Promise<string> {
    const file = path.join(this.dir, name);
    try {
      return (await this.engine.render(this.load(file), data)).trim();
    } catch (error) {
      throw this.explain(shownPath(file), error);
    }
  }

  /** Parses `name` without rendering it: a broken template is reported before any post needs it. */
  check(name: string): void {
    const file = path.join(this.dir, name);
    try {
      this.load(file);
    } catch (error) {
      throw this.explain(shownPath(file), error);
    }
  }

  private load(file: string): Template[] {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      throw new TemplateError(file, null, 'không tìm thấy tệp mẫu');
    }
    const cached = this.cache.get(file);
    if (cached && cached.mtimeMs === stat.mtimeMs) return cached.template;
    const source = fs.readFileSync(file, 'utf8');
    if (source.length > TEMPLATE_LIMITS.parseLimit)
      throw new TemplateError(file, null, `tệp mẫu quá lớn (tối đa ${TEMPLATE_LIMITS.parseLimit} ký tự)`);
    checkLiteralRanges(source, file);
    checkNesting(source, file);
    const template = this.engine.parse(source, file);
    this.cache.set(file, { mtimeMs: stat.mtimeMs, template });
    return template;
  }

  private explain(file: string, error: unknown): Error {
    if (error instanceof TemplateError) return error;
    const err = error as { message?: string; token?: { getPosition?: () => [number, number] } };
    const line = err.token?.getPosition?.()[0] ?? null;
    const detail = String(err.message ?? error)
      .replace(/, (line|file):.*$/s, '')
      .replace(/^undefined variable: (.+)$/, 'biến không có: $1')
      .replace(/^undefined filter: (.+)$/, 'bộ lọc không có: $1')
      .replace(/^tag (.+) not closed$/, 'thẻ $1 chưa được đóng')
      .replace(/^parse length limit exceeded.*$/is, 'mẫu (cùng các mẫu nó gọi) quá lớn; có thể mẫu tự gọi lại chính nó')
      .replace(
        /^template render limit exceeded.*$/is,
        `mẫu chạy quá ${TEMPLATE_LIMITS.renderLimit / 1000} giây; kiểm tra các vòng lặp`,
      )
      .replace(/^Maximum call stack size exceeded.*$/is, 'mẫu lồng nhau hoặc tự gọi lại quá sâu; hãy giản lược mẫu')
      .replace(
        /^memory alloc limit exceeded.*$/is,
        'mẫu dùng quá nhiều bộ nhớ; kiểm tra các vòng lặp và bộ lọc nối chuỗi',
      );
    return new TemplateError(file, line, detail, /^template render limit exceeded/i.test(String(err.message ?? '')));
  }
}

/** The data every channel template sees. Dates are already in Vietnam time. */
export function templateData(post: PostContext): Record<string, unknown> {
  const { item, unit, channel, publication, areaName } = post;
  return {
    item: {
      id: item.id,
      title: item.title,
      body: item.body,
      link: item.link ?? '',
      image: item.image ?? '',
      area: areaName,
      priority: PRIORITIES[item.priority],
    },
    unit: { id: unit.id, name: unit.name },
    channel: { id: channel.id, name: channel.name },
    publication: {
      id: publication.id,
      date: formatLocal(publication.scheduledAt, 'dd/LL/yyyy'),
      time: formatLocal(publication.scheduledAt, 'HH:mm'),
    },
  };
}
