import type { Kysely, Updateable } from 'kysely';

import type { ChannelsTable, Database } from './schema';

/** A channel's credentials as Loa last saw them (migration 0022); nothing in it is secret. */
export interface TokenState {
  channelId: string;
  platform: string;
  hasSecret: boolean;
  expiresAt: Date | null;
  refreshExpiresAt: Date | null;
  lastSuccessAt: Date | null;
  checkedAt: Date | null;
  summary: string | null;
  /** Set when the connection is lost: why, in Vietnamese. */
  problem: string | null;
}

/** What a connection, a check or a refresh learnt: its expiries and what the platform said. */
export interface TokenReport {
  expiresAt: Date | null;
  refreshExpiresAt: Date | null;
  summary: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const date = (s: string | null) => (s ? new Date(s) : null);

type TokenColumns = Pick<
  Updateable<ChannelsTable>,
  'token_expires_at' | 'refresh_expires_at' | 'token_summary' | 'last_success_at' | 'token_problem'
>;

/**
 * The one writer of a channel's token state: every change stamps `token_checked_at`. `onlyWithSecret` leaves a
 * channel whose secret was removed meanwhile as it is.
 */
async function writeTokenState(
  db: Kysely<Database>,
  channelId: string,
  columns: TokenColumns,
  now: Date,
  onlyWithSecret = false,
): Promise<void> {
  let update = db
    .updateTable('channels')
    .set({ ...columns, token_checked_at: now.toISOString() })
    .where('id', '=', channelId);
  if (onlyWithSecret) update = update.where('secret', 'is not', null);
  await update.execute();
}

/** The platform accepted the channel's credentials at `now`: their expiries and summary, and no problem. */
export function recordTokenSuccess(
  db: Kysely<Database>,
  channelId: string,
  report: TokenReport,
  now = new Date(),
): Promise<void> {
  return writeTokenState(
    db,
    channelId,
    {
      token_expires_at: iso(report.expiresAt),
      refresh_expires_at: iso(report.refreshExpiresAt),
      ...(report.summary ? { token_summary: report.summary } : {}),
      last_success_at: now.toISOString(),
      token_problem: null,
    },
    now,
  );
}

/** The platform accepted the credentials (a check such as `loa doctor`'s): only the last success moves. */
export function recordTokenSeen(db: Kysely<Database>, channelId: string, now = new Date()): Promise<void> {
  return writeTokenState(db, channelId, { last_success_at: now.toISOString() }, now, true);
}

/** Expiries read from the stored secret without asking the platform (nothing was due): no new success. */
export function recordTokenExpiries(
  db: Kysely<Database>,
  channelId: string,
  report: Pick<TokenReport, 'expiresAt' | 'refreshExpiresAt'>,
  now = new Date(),
): Promise<void> {
  const expiries = { token_expires_at: iso(report.expiresAt), refresh_expires_at: iso(report.refreshExpiresAt) };
  return writeTokenState(db, channelId, expiries, now);
}

/** A new secret the platform could not be asked about: its state is unknown until a check or a refresh. */
export function recordTokenUnchecked(
  db: Kysely<Database>,
  channelId: string,
  summary: string,
  now = new Date(),
): Promise<void> {
  const unknown = { token_expires_at: null, refresh_expires_at: null, token_summary: summary, token_problem: null };
  return writeTokenState(db, channelId, unknown, now);
}

/** The connection is lost (refused, or a refresh whose answer never came): a person must connect it again. */
export function recordTokenProblem(
  db: Kysely<Database>,
  channelId: string,
  problem: string,
  now = new Date(),
): Promise<void> {
  return writeTokenState(db, channelId, { token_problem: problem }, now);
}

/** Every channel's credentials state, for the desk, `loa doctor` and /metrics. */
export async function listTokenStates(db: Kysely<Database>): Promise<TokenState[]> {
  const rows = await db
    .selectFrom('channels')
    .select([
      'id',
      'platform',
      'token_expires_at',
      'refresh_expires_at',
      'last_success_at',
      'token_checked_at',
      'token_summary',
      'token_problem',
      (eb) => eb.case().when('secret', 'is not', null).then(1).else(0).end().as('has_secret'),
    ])
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    channelId: r.id,
    platform: r.platform,
    hasSecret: Number(r.has_secret) === 1,
    expiresAt: date(r.token_expires_at),
    refreshExpiresAt: date(r.refresh_expires_at),
    lastSuccessAt: date(r.last_success_at),
    checkedAt: date(r.token_checked_at),
    summary: r.token_summary,
    problem: r.token_problem,
  }));
}
