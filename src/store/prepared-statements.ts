/**
 * PostgreSQL: the publish path's statements as named prepared statements, parsed and planned once per connection.
 *
 * Kysely sends every statement unnamed, so the server parses and plans it again on each run. For the publish path's
 * point statements planning is most of the server's work: counted per statement at the backend
 * (`LOA_BENCH_VERBOSE=1 npx tsx test/bench/statement-count.ts`), a portal publication cost PostgreSQL 3.9–4.4 ms of CPU,
 * as much as the worker's own, on a 2-core machine where both share the cores. A named statement is parsed once per
 * connection, and after five runs PostgreSQL keeps a generic plan when it is no costlier than the custom ones (every
 * statement here finds its row by primary key or a unique index), so a run is bind and execute only.
 *
 * Only statements registered here are prepared (src/store/hot-query.ts registers each one it compiles): a fixed,
 * small set, so each connection holds a bounded number of prepared statements. Ad-hoc statements (a list of a varying
 * length, the desk's queries) stay unnamed.
 */
import type { ClientBase, QueryConfig } from 'pg';

const names = new Map<string, string>();

/** Registers a statement text to be prepared on PostgreSQL; its name is stable for the process's life. */
export function prepareOnPostgres(sql: string): void {
  if (!names.has(sql)) names.set(sql, `loa_hot_${names.size + 1}`);
}

/** The statement's name when it is registered, else undefined (sent unnamed). */
export function preparedName(sql: string): string | undefined {
  return names.get(sql);
}

/**
 * Makes a new pool connection send the registered statements by name. Kysely calls `query(sql, parameters)`; a
 * registered text goes as `{ name, text, values }`, which pg parses on this connection the first time only.
 */
export function sendRegisteredByName(client: ClientBase): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const [text, values] = args;
    const name = typeof text === 'string' && args.length === 2 ? names.get(text) : undefined;
    if (!name) return query(...args);
    return query({ name, text, values } as QueryConfig);
  };
}
