/**
 * Graph API usage headers, read the way Meta documents them (Graph API, "Rate Limits"):
 * - `x-app-usage` (and `x-ad-account-usage`): {"call_count":n,"total_cputime":n,"total_time":n} as percentages of
 *   a limit counted over a rolling hour (Platform Rate Limits: app and user tokens);
 * - `x-page-usage` (alias `x-fb-page-usage`) and `x-business-use-case-usage`
 *   {"<id>":[{"type":…,"call_count":…,"total_cputime":…,"total_time":…,"estimated_time_to_regain_access":minutes}]}:
 *   calls made with a Page token count against the Page's Business Use Case limit, 4,800 calls × engaged users over
 *   a rolling 24 hours. A share there falls slowly: the calls of the last day leave the window one by one.
 * Unreadable headers count as no information, never as an error.
 */
export interface Usage {
  /** The highest percentage of any limit in any header, 0 when none. */
  highestPercent: number;
  /** The longest "estimated time to regain access", in ms, 0 when none. */
  regainMs: number;
  /** The highest share is of a 24-hour Page limit (x-page-usage, x-business-use-case-usage), not an hourly one. */
  dailyWindow: boolean;
}

function parse(text: string | undefined): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function fold(usage: Usage, entry: unknown, daily: boolean): Usage {
  if (typeof entry !== 'object' || entry === null) return usage;
  const e = entry as Record<string, unknown>;
  const percents = ['call_count', 'total_cputime', 'total_time'].map((k) => Number(e[k])).filter(Number.isFinite);
  const highest = Math.max(0, ...percents);
  const regain = Number(e.estimated_time_to_regain_access);
  return {
    highestPercent: Math.max(usage.highestPercent, highest),
    regainMs: Math.max(usage.regainMs, Number.isFinite(regain) ? regain * 60_000 : 0),
    // The window of the entry with the highest share (the daily one on a tie: the slower to fall).
    dailyWindow:
      highest > usage.highestPercent
        ? daily
        : highest === usage.highestPercent
          ? usage.dailyWindow || daily
          : usage.dailyWindow,
  };
}

export function readUsage(headers: Record<string, string>): Usage {
  let usage: Usage = { highestPercent: 0, regainMs: 0, dailyWindow: false };
  for (const name of ['x-app-usage', 'x-ad-account-usage']) usage = fold(usage, parse(headers[name]), false);
  for (const name of ['x-page-usage', 'x-fb-page-usage']) usage = fold(usage, parse(headers[name]), true);
  const business = parse(headers['x-business-use-case-usage']);
  if (business && typeof business === 'object')
    for (const list of Object.values(business))
      if (Array.isArray(list)) for (const entry of list) usage = fold(usage, entry, true);
  return usage;
}

/** Above this share of any limit Loa slows the Page down before Facebook throttles it (Mixpost does the same at 90 %). */
export const SLOW_DOWN_AT_PERCENT = 90;
/** How long a Page is held near an hourly limit when Facebook gives no time. */
export const SLOW_DOWN_DEFAULT_MS = 15 * 60_000;
/** Near the Page's 24-hour limit the share falls slowly: hold longer (a 24th of the window) when no time is given. */
export const SLOW_DOWN_DAILY_MS = 60 * 60_000;
/** How long to wait after an hourly throttling error (4, 17, 341, 613) when Facebook gives no time. */
export const THROTTLED_DEFAULT_MS = 10 * 60_000;
/** How long to wait after the Page's 24-hour limit (32, 80001) when Facebook gives no time. */
export const PAGE_THROTTLED_DEFAULT_MS = 60 * 60_000;

/** How long to hold a Page after a successful call, or 0 when its usage is comfortable. */
export function slowDownMs(usage: Usage): number {
  if (usage.highestPercent < SLOW_DOWN_AT_PERCENT) return 0;
  if (usage.regainMs > 0) return usage.regainMs;
  return usage.dailyWindow ? SLOW_DOWN_DAILY_MS : SLOW_DOWN_DEFAULT_MS;
}
