import fs from 'node:fs';
import path from 'node:path';

import type { FakeGraphApi } from '../../src/demo/fake-graph-api';
import type { FakeZalo } from '../../src/demo/fake-zalo-oa';
import type { Db } from '../../src/store';
import type { Outage } from './faults';
import type { Platform } from './seed';
import type { Seeded } from './seed';

/** What the run found on one channel type. */
export interface ChannelFigures {
  platform: Platform;
  queued: number;
  published: number;
  failed: number;
  failedReasons: Record<string, number>;
  unconfirmed: number;
  /** Unconfirmed ones with no reason in the publish log or no line about them in the workers' logs. */
  unexplained: string[];
  /** Published after finding on the platform what an earlier attempt had posted. */
  reconciled: number;
  /** Cancelled or expired (none are expected: every item is approved and nothing is cancelled). */
  other: number;
  /** Extra copies the platform (fake), the feed or the export folder holds. */
  duplicates: number;
  /** Due but neither published, failed nor waiting for a person; or said published and not on the platform. */
  lost: number;
  lostIds: string[];
  /** On the platform while the database says failed or still pending: a retry would post it twice. */
  unrecorded: string[];
  latenessMs: { p50: number; p99: number; max: number; counted: number; excluded: number };
  /** The same over every published one, outages included. */
  latenessAllMs: { p50: number; p99: number; max: number };
}

export interface Observations {
  /** Every feed document fetched during the run: duplicates by guid (and by item) are looked for in each. */
  feeds: string[];
  /** Published rss publications whose /posts/<id> page did not answer 200. */
  missingPostPages: string[];
  workerLogs: string;
  /** `loa log --state unconfirmed --json`. */
  unconfirmedLog: Array<{ publicationId?: string; id?: string; reason?: string | null }>;
}

interface Row {
  id: string;
  item_id: number;
  channel_id: string;
  state: string;
  reason: string | null;
  scheduled_at: string;
  published_at: string | null;
  external_id: string | null;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const THROTTLE_CODES = new Set(['4', '17', '32', '613', '-32']);
/** How long a rate limit may hold an account (the fakes give one minute), plus a margin. */
const THROTTLE_HOLD_MS = 65_000;

function countBy<T>(values: T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

const extra = (counts: Map<unknown, number>) => [...counts.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);

/** Duplicates in the feed documents: the same guid twice in one document, or one item under two guids. */
function feedDuplicates(feeds: string[]): number {
  let worst = 0;
  for (const xml of feeds) {
    const guids = [...xml.matchAll(/<guid[^>]*>([^<]+)<\/guid>/g)].map((m) => m[1]!);
    const items = [...xml.matchAll(/<title>[^<]*(\[chaos-\d+\])[^<]*<\/title>/g)].map((m) => m[1]!);
    worst = Math.max(worst, extra(countBy(guids)), extra(countBy(items)));
  }
  return worst;
}

/** Script files and programme entries of each station: an item's script twice, or its entry twice in a programme. */
function radioDuplicates(exportDir: string): { duplicates: number; files: Set<string> } {
  const files = new Set<string>();
  let duplicates = 0;
  const root = path.join(exportDir, 'radio');
  if (!fs.existsSync(root)) return { duplicates, files };
  for (const station of fs.readdirSync(root)) {
    // <station>/<day>/ holds the scripts; <station>/<day>.txt and .docx are the day's programme.
    for (const day of fs
      .readdirSync(path.join(root, station))
      .filter((f) => fs.statSync(path.join(root, station, f)).isDirectory())) {
      const dir = path.join(root, station, day);
      const scripts = fs.readdirSync(dir).filter((f) => /^\d{4}-.+\.txt$/.test(f));
      // <HHmm>-<publication id>.txt, the publication id starting with i<item>: one item's script twice is a duplicate.
      const items: string[] = [];
      for (const file of scripts) {
        files.add(path.join('radio', station, day, file));
        items.push(/^\d{4}-i(\d+)-/.exec(file)?.[1] ?? file);
      }
      duplicates += extra(countBy(items));
      const programme = path.join(root, station, `${day}.txt`);
      if (fs.existsSync(programme)) {
        const entries = fs
          .readFileSync(programme, 'utf8')
          .split('\n')
          .filter((line) => /^\[\d+\] /.test(line))
          .map((line) => /\[chaos-\d+\]/.exec(line)?.[0])
          .filter((m): m is string => !!m);
        duplicates += extra(countBy(entries));
      }
    }
  }
  return { duplicates, files };
}

export async function tally(
  db: Db,
  seeded: Seeded,
  graph: FakeGraphApi,
  zalo: FakeZalo,
  exportDir: string,
  outages: Outage[],
  seen: Observations,
  endedAt: number,
): Promise<ChannelFigures[]> {
  const channelIds = [...seeded.platformOf.keys()];
  const rows = (await db.kysely
    .selectFrom('publications')
    .select(['id', 'item_id', 'channel_id', 'state', 'reason', 'scheduled_at', 'published_at', 'external_id'])
    .where('channel_id', 'in', channelIds)
    .execute()) as Row[];
  const attempts = await db.kysely
    .selectFrom('publish_attempts')
    .select(['publication_id', 'outcome', 'platform_code', 'started_at'])
    .execute();
  const attemptsOf = new Map<string, typeof attempts>();
  for (const a of attempts) attemptsOf.set(a.publication_id, [...(attemptsOf.get(a.publication_id) ?? []), a]);

  // Rate limits hold the whole account: its other publications wait too, on purpose.
  const held: Outage[] = [];
  for (const row of rows) {
    for (const a of attemptsOf.get(row.id) ?? []) {
      if (a.outcome === 'retry' && a.platform_code && THROTTLE_CODES.has(a.platform_code)) {
        const from = new Date(a.started_at).getTime();
        held.push({ kind: 'rate limit', from, to: from + THROTTLE_HOLD_MS, channelId: row.channel_id });
      }
    }
  }
  const allOutages = [...outages, ...held];

  const radio = radioDuplicates(exportDir);
  const unconfirmedReasons = new Map(seen.unconfirmedLog.map((e) => [e.publicationId ?? e.id ?? '', e.reason ?? '']));
  const markerOf = (row: Row) => seeded.markers.get(row.item_id)!;

  return (['rss', 'radio', 'facebook', 'zalo'] as const).map((platform) => {
    const mine = rows.filter((r) => seeded.platformOf.get(r.channel_id) === platform);
    const by = (state: string) => mine.filter((r) => r.state === state);
    const failedReasons: Record<string, number> = {};
    for (const r of by('failed'))
      failedReasons[r.reason ?? '(không có lý do)'] = (failedReasons[r.reason ?? '(không có lý do)'] ?? 0) + 1;

    // Nothing in the run is cancelled and every item is approved: cancelled or expired ones are lost too.
    const lostIds = mine
      .filter(
        (r) =>
          (['scheduled', 'queued', 'publishing'].includes(r.state) && new Date(r.scheduled_at).getTime() <= endedAt) ||
          ['cancelled', 'expired'].includes(r.state),
      )
      .map((r) => r.id);
    const unrecorded: string[] = [];
    let duplicates = 0;
    if (platform === 'facebook') {
      const byMarker = countBy(
        graph.posts.map((p) => `${p.pageId} ${/\[chaos-\d+\]/.exec(p.message)?.[0] ?? p.message}`),
      );
      duplicates = extra(byMarker);
      const ids = new Set(graph.posts.map((p) => p.id));
      for (const r of by('published')) if (!r.external_id || !ids.has(r.external_id)) lostIds.push(r.id);
      const posted = new Set(graph.posts.map((p) => /\[chaos-\d+\]/.exec(p.message)?.[0]));
      for (const r of mine)
        if (['failed', 'scheduled', 'queued'].includes(r.state) && posted.has(markerOf(r))) unrecorded.push(r.id);
    } else if (platform === 'zalo') {
      duplicates = extra(countBy(zalo.articles.map((a) => /\[chaos-\d+\]/.exec(a.title)?.[0] ?? a.title)));
      const ids = new Set(zalo.articles.map((a) => a.id));
      for (const r of by('published')) if (!r.external_id || !ids.has(r.external_id)) lostIds.push(r.id);
      const posted = new Set(zalo.articles.map((a) => /\[chaos-\d+\]/.exec(a.title)?.[0]));
      for (const r of mine)
        if (['failed', 'scheduled', 'queued'].includes(r.state) && posted.has(markerOf(r))) unrecorded.push(r.id);
    } else if (platform === 'radio') {
      duplicates = radio.duplicates;
      for (const r of by('published')) if (!r.external_id || !radio.files.has(r.external_id)) lostIds.push(r.id);
    } else {
      duplicates = feedDuplicates(seen.feeds);
      const missing = new Set(seen.missingPostPages);
      for (const r of by('published')) if (missing.has(r.id)) lostIds.push(r.id);
    }

    const unexplained = by('unconfirmed')
      .filter((r) => !r.reason || !unconfirmedReasons.get(r.id) || !seen.workerLogs.includes(r.id))
      .map((r) => r.id);

    const lateness: number[] = [];
    const all: number[] = [];
    let excluded = 0;
    for (const r of by('published')) {
      const scheduled = new Date(r.scheduled_at).getTime();
      const published = new Date(r.published_at!).getTime();
      all.push(Math.max(0, published - scheduled));
      const hit = allOutages.some(
        (o) => (!o.channelId || o.channelId === r.channel_id) && o.from <= published && o.to >= scheduled,
      );
      if (hit) excluded++;
      else lateness.push(Math.max(0, published - scheduled));
    }
    lateness.sort((a, b) => a - b);
    all.sort((a, b) => a - b);
    return {
      platform,
      queued: mine.length,
      published: by('published').length,
      failed: by('failed').length,
      failedReasons,
      unconfirmed: by('unconfirmed').length,
      unexplained,
      reconciled: mine.filter(
        (r) => r.state === 'published' && (attemptsOf.get(r.id) ?? []).some((a) => a.outcome === 'reconciled'),
      ).length,
      other: by('cancelled').length + by('expired').length,
      duplicates,
      lost: lostIds.length,
      lostIds,
      unrecorded,
      latenessMs: {
        p50: percentile(lateness, 50),
        p99: percentile(lateness, 99),
        max: lateness.at(-1) ?? NaN,
        counted: lateness.length,
        excluded,
      },
      latenessAllMs: { p50: percentile(all, 50), p99: percentile(all, 99), max: all.at(-1) ?? NaN },
    };
  });
}
