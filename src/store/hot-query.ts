import { type Compilable, type CompiledQuery, type Kysely, PostgresAdapter, type QueryResult } from 'kysely';

import { prepareOnPostgres } from './prepared-statements';
import type { Database } from './schema';

/** Stands for a parameter while the statement is compiled; never a value a caller could pass. */
const PLACEHOLDER = '\u0000loa-parameter:';

type Slot = { name: string } | { value: unknown };

interface Compiled {
  sql: string;
  slots: Slot[];
  query: CompiledQuery['query'];
  queryId: CompiledQuery['queryId'];
}

/**
 * A statement of the publish path, built and compiled by Kysely once per dialect (and per `variant`, for the parts
 * of its text that are not parameters) and then run with new parameters. Building and compiling the same dozen
 * statements for every publication cost about as much CPU as SQLite running them (the worker's CPU profile in the README).
 *
 * `build` receives placeholders in place of the named parameters and must hand each one to Kysely as a value (never
 * read it, never turn it into SQL text): its first compile checks that every placeholder came out as a parameter, so
 * a builder that breaks that rule fails at once instead of running with a placeholder's text. Anything that changes
 * the statement's text (a clause present or not, a list's length, a constant inlined) belongs in `variant`.
 */
export function hotQuery<P extends Record<string, unknown>, R>(
  build: (db: Kysely<Database>, params: P, variant: string) => Compilable<R>,
): (db: Kysely<Database>, params: P, variant?: string) => Promise<QueryResult<R>> {
  const compiled = new Map<unknown, Map<string, Compiled>>();
  return (db, params, variant = '') => {
    const adapter = db.getExecutor().adapter.constructor;
    let byVariant = compiled.get(adapter);
    if (!byVariant) compiled.set(adapter, (byVariant = new Map()));
    let statement = byVariant.get(variant);
    if (!statement) {
      statement = compile(db, params, (db, p) => build(db, p, variant));
      byVariant.set(variant, statement);
      // Its text never changes: PostgreSQL may parse and plan it once per connection (src/store/prepared-statements.ts).
      if (db.getExecutor().adapter instanceof PostgresAdapter) prepareOnPostgres(statement.sql);
    }
    const parameters = statement.slots.map((slot) => ('name' in slot ? params[slot.name] : slot.value));
    return db.executeQuery<R>({
      sql: statement.sql,
      parameters,
      query: statement.query,
      queryId: statement.queryId,
    });
  };
}

function compile<P extends Record<string, unknown>, R>(
  db: Kysely<Database>,
  params: P,
  build: (db: Kysely<Database>, params: P) => Compilable<R>,
): Compiled {
  const names = Object.keys(params);
  const placeholders = Object.fromEntries(names.map((name) => [name, `${PLACEHOLDER}${name}`])) as unknown as P;
  const { sql, parameters, query, queryId } = build(db, placeholders).compile();
  const slots: Slot[] = parameters.map((value) =>
    typeof value === 'string' && value.startsWith(PLACEHOLDER) ? { name: value.slice(PLACEHOLDER.length) } : { value },
  );
  const missing = names.filter((name) => !slots.some((slot) => 'name' in slot && slot.name === name));
  if (missing.length > 0 || sql.includes(PLACEHOLDER))
    throw new Error(`hotQuery: parameters not passed to the statement as values: ${missing.join(', ') || sql}`);
  return { sql, slots, query, queryId };
}
