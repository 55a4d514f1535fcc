import type { Kysely } from 'kysely';

import { NotFoundError, ValidationError } from '../domain/errors';
import type { SlotProposal, Source, SourceState } from '../domain/source';
import type { Database, Row } from './schema';

function toSource(row: Row<'sources'>): Source {
  const date = (value: string | null) => (value ? new Date(value) : null);
  return {
    id: row.id,
    url: row.url,
    unitId: row.unit_id,
    planId: row.plan_id,
    title: row.title,
    everyMinutes: row.every_minutes,
    proposals: JSON.parse(row.proposals) as SlotProposal[],
    etag: row.etag,
    lastModified: row.last_modified,
    state: row.state as SourceState,
    status: row.status,
    failures: row.failures,
    polledAt: date(row.polled_at),
    succeededAt: date(row.succeeded_at),
    nextPollAfter: date(row.next_poll_after),
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
  };
}

export interface NewSource {
  url: string;
  unitId: string;
  planId: number | null;
  everyMinutes: number;
  proposals: SlotProposal[];
}

export async function addSource(
  db: Kysely<Database>,
  input: NewSource,
  createdBy: string,
  now = new Date(),
): Promise<Source> {
  const existing = await db
    .selectFrom('sources')
    .select('id')
    .where('unit_id', '=', input.unitId)
    .where('url', '=', input.url)
    .executeTakeFirst();
  if (existing) throw new ValidationError('URL', `đơn vị này đã có nguồn tin này (số ${existing.id})`);
  const row = await db
    .insertInto('sources')
    .values({
      url: input.url,
      unit_id: input.unitId,
      plan_id: input.planId,
      every_minutes: input.everyMinutes,
      proposals: JSON.stringify(input.proposals),
      state: 'new',
      status: 'Chưa đọc lần nào',
      created_by: createdBy,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toSource(row);
}

export async function getSource(db: Kysely<Database>, id: number): Promise<Source> {
  const row = await db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('nguồn tin', id);
  return toSource(row);
}

export async function listSources(db: Kysely<Database>): Promise<Source[]> {
  return (await db.selectFrom('sources').selectAll().orderBy('id').execute()).map(toSource);
}

/** Which sources a list shows: one unit's (a person's scope) or every unit's (undefined), a page of them. */
export interface SourcePage {
  unitId?: string;
  limit: number;
  offset: number;
}

function sourcesOf(db: Kysely<Database>, unitId: string | undefined) {
  const query = db.selectFrom('sources');
  return unitId === undefined ? query : query.where('unit_id', '=', unitId);
}

/** How many sources the unit has (every unit's when undefined). */
export async function countSources(db: Kysely<Database>, unitId?: string): Promise<number> {
  const row = await sourcesOf(db, unitId)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A page of sources, failing ones first (what someone must look at), then the newest added. */
export async function pageSources(db: Kysely<Database>, page: SourcePage): Promise<Source[]> {
  const rows = await sourcesOf(db, page.unitId)
    .selectAll()
    .orderBy((eb) => eb.case().when('state', '=', 'failing').then(0).else(1).end())
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map(toSource);
}

/** Removes a source. Its drafts stay, and so does the memory of its entries: adding it again brings no duplicates. */
export async function removeSource(db: Kysely<Database>, id: number): Promise<Source> {
  const source = await getSource(db, id);
  await db.deleteFrom('sources').where('id', '=', id).execute();
  return source;
}

export type Claim = { claimed: true; source: Source } | { claimed: false; why: 'busy' | 'backing-off' | 'gone' };

/**
 * Takes the source for one poll: a conditional update only one process can win (another worker, or `loa sources
 * poll` run by hand, finds it busy). A lease that ran out (its poller died) can be taken again. A scheduled poll also
 * waits out the back-off of a failing source; a poll a person asks for does not.
 */
export async function claimSource(
  db: Kysely<Database>,
  id: number,
  leaseMs: number,
  respectBackoff: boolean,
  now = new Date(),
): Promise<Claim> {
  const at = now.toISOString();
  let update = db
    .updateTable('sources')
    .set({ lease_until: new Date(now.getTime() + leaseMs).toISOString() })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]));
  if (respectBackoff)
    update = update.where((eb) => eb.or([eb('next_poll_after', 'is', null), eb('next_poll_after', '<=', at)]));
  const row = await update.returningAll().executeTakeFirst();
  if (row) return { claimed: true, source: toSource(row) };
  const current = await db.selectFrom('sources').select(['lease_until']).where('id', '=', id).executeTakeFirst();
  if (!current) return { claimed: false, why: 'gone' };
  return { claimed: false, why: current.lease_until && current.lease_until >= at ? 'busy' : 'backing-off' };
}

export interface PollOutcome {
  state: SourceState;
  status: string;
  failures: number;
  nextPollAfter: Date | null;
  succeeded: boolean;
  /** Only after the entries are safely stored: a poll that failed half-way fetches the whole feed again. */
  validators?: { etag: string | null; lastModified: string | null };
  title?: string | null;
}

/** Records how a poll ended and releases the source. */
export async function finishPoll(
  db: Kysely<Database>,
  id: number,
  outcome: PollOutcome,
  now = new Date(),
): Promise<void> {
  const at = now.toISOString();
  await db
    .updateTable('sources')
    .set({
      state: outcome.state,
      status: outcome.status,
      failures: outcome.failures,
      next_poll_after: outcome.nextPollAfter?.toISOString() ?? null,
      polled_at: at,
      lease_until: null,
      updated_at: at,
      ...(outcome.succeeded ? { succeeded_at: at } : {}),
      ...(outcome.validators ? { etag: outcome.validators.etag, last_modified: outcome.validators.lastModified } : {}),
      ...(outcome.title ? { title: outcome.title } : {}),
    })
    .where('id', '=', id)
    .execute();
}
