/**
 * Graph API usage headers, read the way Meta documents them:
 * - `x-app-usage` and `x-page-usage` (alias `x-fb-page-usage`): {"call_count":n,"total_cputime":n,"total_time":n}
 *   as percentages of the limit; the page form may add `estimated_time_to_regain_access` (minutes).
 * - `x-business-use-case-usage`: {"<id>":[{"type":…,"call_count":…,"total_cputime":…,"total_time":…,
 *   "estimated_time_to_regain_access":minutes}]}.
 * Unreadable headers count as no information, never as an error.
 */
export interface Usage {
  /** The highest percentage of any limit in any header, 0 when none. */
  highestPercent: number;
  /** The longest "estimated time to regain access", in ms, 0 when none. */
  regainMs: number;
}

function parse(text: string | undefined): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function fold(usage: Usage, entry: unknown): Usage {
  if (typeof entry !== 'object' || entry === null) return usage;
  const e = entry as Record<string, unknown>;
  const percents = ['call_count', 'total_cputime', 'total_time'].map((k) => Number(e[k])).filter(Number.isFinite);
  const regain = Number(e.estimated_time_to_regain_access);
  return {
    highestPercent: Math.max(usage.highestPercent, ...percents),
    regainMs: Math.max(usage.regainMs, Number.isFinite(regain) ? regain * 60_000 : 0),
  };
}

export function readUsage(headers: Record<string, string>): Usage {
  let usage: Usage = { highestPercent: 0, regainMs: 0 };
  for (const name of ['x-app-usage', 'x-page-usage', 'x-fb-page-usage', 'x-ad-account-usage'])
    usage = fold(usage, parse(headers[name]));
  const business = parse(headers['x-business-use-case-usage']);
  if (business && typeof business === 'object')
    for (const list of Object.values(business))
      if (Array.isArray(list)) for (const entry of list) usage = fold(usage, entry);
  return usage;
}

/** Above this share of any limit Loa slows the Page down before Facebook throttles it (Mixpost does the same at 90 %). */
export const SLOW_DOWN_AT_PERCENT = 90;
/** How long a Page is held when it nears its limit and Facebook gives no time: usage is counted over a rolling hour. */
export const SLOW_DOWN_DEFAULT_MS = 15 * 60_000;
/** How long to wait after a throttling error when Facebook gives no time. */
export const THROTTLED_DEFAULT_MS = 10 * 60_000;

/** How long to hold a Page after a successful call, or 0 when its usage is comfortable. */
export function slowDownMs(usage: Usage): number {
  if (usage.highestPercent < SLOW_DOWN_AT_PERCENT) return 0;
  return usage.regainMs > 0 ? usage.regainMs : SLOW_DOWN_DEFAULT_MS;
}
