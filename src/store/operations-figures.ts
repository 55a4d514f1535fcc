import { type Kysely, sql } from 'kysely';

import { connectionExpiry } from '../domain/token-alerts';
import type { DialectName } from './connection';
import type { Database } from './schema';

/** Figures an operator's monitoring reads (`/metrics`): counted in the database, the source of truth. */

export interface PublicationCount {
  state: string;
  channel: string;
  unit: string;
  count: number;
}

/** Publications by state, channel and the channel's unit. */
export async function publicationCounts(db: Kysely<Database>): Promise<PublicationCount[]> {
  const rows = await db
    .selectFrom('publications as p')
    .innerJoin('channels as c', 'c.id', 'p.channel_id')
    .select((eb) => ['p.state', 'p.channel_id', 'c.unit_id', eb.fn.countAll<number | string>().as('n')])
    .groupBy(['p.state', 'p.channel_id', 'c.unit_id'])
    .orderBy('p.channel_id')
    .orderBy('p.state')
    .execute();
  return rows.map((r) => ({ state: r.state, channel: r.channel_id, unit: r.unit_id, count: Number(r.n) }));
}

export interface LatenessHistogram {
  /** Upper bounds in seconds, ascending. */
  bounds: readonly number[];
  /** Cumulative: how many went out at most bounds[i] seconds after their time. */
  counts: number[];
  sum: number;
  count: number;
}

/**
 * Seconds from scheduled to published time of everything that went out (published, or published and later taken
 * down), as a cumulative histogram. It only grows, as Prometheus expects of a histogram: a post's lateness never
 * changes once it is out.
 */
export async function latenessHistogram(
  db: Kysely<Database>,
  dialect: DialectName,
  bounds: readonly number[],
): Promise<LatenessHistogram> {
  const late =
    dialect === 'postgres'
      ? sql<number>`extract(epoch from (published_at::timestamptz - scheduled_at::timestamptz))`
      : sql<number>`(unixepoch(published_at, 'subsec') - unixepoch(scheduled_at, 'subsec'))`;
  const buckets = bounds.map((bound, i) => sql`sum(case when ${late} <= ${bound} then 1 else 0 end)`.as(`b${i}`));
  const row = (await db
    .selectFrom('publications')
    .select([...buckets, sql`coalesce(sum(${late}), 0)`.as('total'), sql`count(*)`.as('n')])
    .where('state', 'in', ['published', 'withdrawn'])
    .where('published_at', 'is not', null)
    .executeTakeFirstOrThrow()) as Record<string, unknown>;
  return {
    bounds,
    counts: bounds.map((_, i) => Number(row[`b${i}`] ?? 0)),
    sum: Number(row.total),
    count: Number(row.n),
  };
}

/** Per channel, when it last published something (null: never). */
export async function lastSuccessByChannel(db: Kysely<Database>): Promise<Array<{ channel: string; at: Date | null }>> {
  const rows = await db
    .selectFrom('channels as c')
    .leftJoin('publications as p', (join) =>
      join.onRef('p.channel_id', '=', 'c.id').on('p.state', 'in', ['published', 'withdrawn']),
    )
    .select((eb) => ['c.id', eb.fn.max('p.published_at').as('at')])
    .groupBy('c.id')
    .orderBy('c.id')
    .execute();
  return rows.map((r) => ({ channel: r.id, at: r.at ? new Date(r.at) : null }));
}

/**
 * Per channel whose connection has a known end (migration 0022, filled by the channels' connection work), when it
 * ends: the refresh token's expiry where there is one (a Zalo access token lives a day and is renewed by itself; the
 * connection is lost only when the refresh token runs out), else the token's own (connectionExpiry's rule).
 */
export async function tokenExpiries(db: Kysely<Database>): Promise<Array<{ channel: string; at: Date }>> {
  const rows = await db
    .selectFrom('channels')
    .select(['id', 'token_expires_at', 'refresh_expires_at'])
    .where((eb) => eb.or([eb('token_expires_at', 'is not', null), eb('refresh_expires_at', 'is not', null)]))
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    channel: r.id,
    at: connectionExpiry({
      expiresAt: r.token_expires_at ? new Date(r.token_expires_at) : null,
      refreshExpiresAt: r.refresh_expires_at ? new Date(r.refresh_expires_at) : null,
    })!,
  }));
}
