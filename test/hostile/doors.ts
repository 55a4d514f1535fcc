/**
 * The three doors a person uses, over one test server: the API (Bearer token), the desk (a browser session: its
 * cookie and CSRF token, forms posted as a browser posts them) and the CLI (`loa` in its own process). The hostile
 * tables of issue 27 run the same rows through each, so the doors cannot disagree again.
 */
import type { Config } from '../../src/config';
import type { Db } from '../../src/store';
import { type Accounts, call, PASSWORD, PEOPLE, type Person, seedAccounts } from '../support/accounts';
import { freshDatabase, type TestDatabase } from '../support/databases';
import { openStore } from '../support/open-store';
import { serveForTest } from '../support/server';
import { type CliResult, envFor, runLoa, testConfig } from '../support/services';

export interface Doors {
  db: Db;
  config: Config;
  base: string;
  accounts: Accounts;
  api(person: Person, method: string, path: string, body?: unknown): ReturnType<typeof call>;
  /** A desk form post as `person`'s browser sends it; the page (HTML), its status and where it redirects. */
  desk(
    person: Person,
    path: string,
    form: Record<string, string> | FormData,
  ): Promise<{ status: number; html: string; location: string | null }>;
  /** A desk page or download as `person`'s browser asks for it. */
  deskGet(person: Person, path: string): Promise<Response>;
  cli(args: string[], input?: string): Promise<CliResult>;
  close(): Promise<void>;
}

export async function openDoors(kind: 'sqlite' | 'postgres', overrides: Partial<Config> = {}): Promise<Doors> {
  const database: TestDatabase = await freshDatabase(kind);
  const config = testConfig(database.url, overrides);
  const db = await openStore(database.url, { defaultUnit: config.defaultUnit });
  const accounts = await seedAccounts(db.kysely);
  const server = await serveForTest(db, database, config);
  const sessions = new Map<Person, { cookie: string; csrf: string }>();
  const session = async (person: Person) => {
    const known = sessions.get(person);
    if (known) return known;
    const res = await fetch(`${server.base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: PEOPLE[person].name, password: PASSWORD }),
    });
    const body = (await res.json()) as { csrfToken: string };
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const opened = { cookie, csrf: body.csrfToken };
    sessions.set(person, opened);
    return opened;
  };
  return {
    db,
    config,
    base: server.base,
    accounts,
    api: (person, method, path, body) => call(server.base, method, path, accounts.token[person], body),
    async desk(person, path, form) {
      const { cookie, csrf } = await session(person);
      let body: FormData | URLSearchParams;
      if (form instanceof FormData) {
        form.set('_csrf', csrf);
        body = form;
      } else body = new URLSearchParams({ ...form, _csrf: csrf });
      const res = await fetch(`${server.base}${path}`, {
        method: 'POST',
        headers: { cookie },
        body,
        redirect: 'manual',
      });
      return { status: res.status, html: await res.text(), location: res.headers.get('location') };
    },
    async deskGet(person, path) {
      const { cookie } = await session(person);
      return fetch(`${server.base}${path}`, { headers: { cookie }, redirect: 'manual' });
    },
    cli: (args, input) => runLoa(args, envFor(config), input),
    close: () => server.close(),
  };
}

/** The text of a page as a person reads it (tags dropped, entities of the page's escaping undone). */
export function pageText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&quot;|&#34;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}
