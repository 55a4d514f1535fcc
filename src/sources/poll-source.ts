import type { Kysely } from 'kysely';

import { LOA_VERSION } from '../config';
import { backoffMs, proposedTimes, type Source } from '../domain/source';
import { formatLocal } from '../domain/time';
import { checkLiteralHost, PrivateAddressError, privateAddressesAllowed } from '../outbound/address-guard';
import type { Database } from '../store/schema';
import { type DraftEntry, ingestEntries, seenKeys } from '../store/source-entries';
import { claimSource, finishPoll } from '../store/sources';
import { FeedProblem } from './feed-problem';
import { fetchFeed, type FetchLimits } from './fetch-feed';
import { type FeedEntry, parseFeed } from './parse-feed';
import { proposeArea } from './propose-area';
import { sourceSettings } from './settings';

export type PollReport =
  | { sourceId: number; outcome: 'not-polled'; why: 'busy' | 'backing-off' | 'gone' }
  | { sourceId: number; outcome: 'not-modified' | 'fetched'; status: string; drafts: number[]; skipped: number }
  | { sourceId: number; outcome: 'failed'; status: string; problem: FeedProblem };

export interface PollOptions {
  /** A person asked for this poll: it runs even while a failing source is backing off. */
  force?: boolean;
  now?: () => Date;
  limits?: Partial<FetchLimits>;
}

function limitsFrom(options: PollOptions): FetchLimits {
  const version = LOA_VERSION;
  return {
    timeoutMs: sourceSettings.timeoutMs,
    maxBytes: sourceSettings.maxBytes,
    maxRedirects: sourceSettings.maxRedirects,
    allowPrivate: sourceSettings.allowPrivate,
    userAgent: `Loa/${version} (doc tin RSS/Atom cho tuyen truyen CCHC)`,
    ...options.limits,
  };
}

/** The plan drafts join: the source's own, or the newest plan imported (a new year's plan is picked up by itself). */
async function planFor(db: Kysely<Database>, source: Source): Promise<{ id: number; areas: string[] }> {
  let query = db.selectFrom('plans').select('id').orderBy('year', 'desc').orderBy('id', 'desc');
  if (source.planId !== null) query = query.where('id', '=', source.planId);
  const plan = await query.executeTakeFirst();
  if (!plan)
    throw new FeedProblem(
      'no-plan',
      'Chưa có kế hoạch nào để gắn tin vào: nhập kế hoạch (loa import) rồi Loa sẽ lấy tin ở lần đọc sau',
    );
  const areas = await db.selectFrom('plan_areas').select('area_key').where('plan_id', '=', plan.id).execute();
  return { id: plan.id, areas: areas.map((a) => a.area_key) };
}

/**
 * A draft's image is later asked for by the worker (Zalo checks its size): one on this machine or the office network
 * (a relative <img> of a feed served from inside, or written so) is dropped here, as the outbound guard would refuse
 * it there. Names are checked again when they resolve, at the time of the request.
 */
export function fetchableImage(image: string | null, allowPrivate: boolean): string | null {
  if (image === null) return null;
  try {
    checkLiteralHost(new URL(image).hostname, allowPrivate);
    return image;
  } catch (error) {
    // A draft without an image is still a draft; an officer may add one.
    if (error instanceof PrivateAddressError || error instanceof TypeError) return null;
    throw error;
  }
}

/** Newest first (entries without a date keep their feed order, after dated ones); one entry per guid and per link. */
function newEntries(entries: FeedEntry[], seen: { guids: Set<string>; links: Set<string> }): FeedEntry[] {
  const ordered = entries
    .map((entry, index) => ({ entry, index }))
    .sort(
      (a, b) =>
        (b.entry.publishedAt?.getTime() ?? -Infinity) - (a.entry.publishedAt?.getTime() ?? -Infinity) ||
        a.index - b.index,
    );
  const fresh: FeedEntry[] = [];
  for (const { entry } of ordered) {
    if (seen.guids.has(entry.guid) || (entry.link && seen.links.has(entry.link))) continue;
    seen.guids.add(entry.guid);
    if (entry.link) seen.links.add(entry.link);
    fresh.push(entry);
  }
  return fresh;
}

/**
 * One poll of one source: claim it, fetch conditionally, parse, turn new entries into drafts (at most
 * LOA_SOURCES_MAX_NEW; the rest are remembered as skipped and reported), and record a status a person can read.
 * A broken feed never throws from here: it ends in the source's status, with a back-off before the next scheduled poll.
 */
export async function pollSource(
  db: Kysely<Database>,
  sourceId: number,
  options: PollOptions = {},
): Promise<PollReport> {
  const clock = options.now ?? (() => new Date());
  const claim = await claimSource(db, sourceId, sourceSettings.leaseMs, !options.force, clock());
  if (!claim.claimed) return { sourceId, outcome: 'not-polled', why: claim.why };
  const source = claim.source;
  try {
    const fetched = await fetchFeed(
      source.url,
      { etag: source.etag, lastModified: source.lastModified },
      limitsFrom(options),
    );
    if (fetched.kind === 'not-modified') {
      const status = 'Không có tin mới (nguồn chưa thay đổi từ lần đọc trước)';
      await finishPoll(
        db,
        sourceId,
        { state: 'ok', status, failures: 0, nextPollAfter: null, succeeded: true },
        clock(),
      );
      return { sourceId, outcome: 'not-modified', status, drafts: [], skipped: 0 };
    }
    const feed = await parseFeed(fetched.body, fetched.url);
    const plan = await planFor(db, source);
    const fresh = newEntries(feed.entries, await seenKeys(db, source.unitId, feed.entries));
    const cap = sourceSettings.maxNewPerPoll;
    const seenAt = clock();
    const drafts: DraftEntry[] = fresh.slice(0, cap).map((entry) => ({
      ...entry,
      image: fetchableImage(entry.image, privateAddressesAllowed()),
      areaKey: proposeArea(entry, plan.areas),
      slots: proposedTimes(source.proposals, entry.publishedAt, seenAt),
    }));
    const skipped = fresh.slice(cap);
    const author = `Nguồn tin: ${feed.title ?? new URL(source.url).host}`;
    const itemIds = await ingestEntries(
      db,
      { sourceId, unitId: source.unitId, planId: plan.id, author },
      drafts,
      skipped,
      seenAt,
    );
    let status = `Đọc được ${feed.entries.length} tin; ${itemIds.length} tin mới thành bản nháp chờ duyệt`;
    if (skipped.length > 0)
      status += `; nguồn có ${fresh.length} tin mới cùng lúc, chỉ lấy ${cap} tin mới nhất, bỏ qua ${skipped.length} tin (kiểm tra lại nguồn nếu bất thường)`;
    await finishPoll(
      db,
      sourceId,
      {
        state: 'ok',
        status,
        failures: 0,
        nextPollAfter: null,
        succeeded: true,
        validators: { etag: fetched.etag, lastModified: fetched.lastModified },
        title: feed.title,
      },
      clock(),
    );
    return { sourceId, outcome: 'fetched', status, drafts: itemIds, skipped: skipped.length };
  } catch (error) {
    // Anything else (a database error, a bug) is still recorded on the source, then raised for the log.
    const problem =
      error instanceof FeedProblem
        ? error
        : new FeedProblem('network', `Lỗi không lường trước khi đọc nguồn: ${(error as Error).message}`);
    const failures = source.failures + 1;
    const now = clock();
    const next = new Date(now.getTime() + backoffMs(source.everyMinutes, failures));
    const status = `${problem.message} (lỗi ${failures} lần liên tiếp; lần đọc tự động sau: ${formatLocal(next)})`;
    await finishPoll(db, sourceId, { state: 'failing', status, failures, nextPollAfter: next, succeeded: false }, now);
    if (!(error instanceof FeedProblem)) throw error;
    return { sourceId, outcome: 'failed', status, problem };
  }
}
