import { sql } from 'kysely';

import { hotQuery } from '../src/store/hot-query';
import { DATABASE_KINDS } from './support/databases';
import { seedItems } from './support/seed';
import { type FreshStore, freshStore } from './support/store-fixture';

/** The publish path's statements compiled once and run with new parameters. */
describe.each(DATABASE_KINDS)('a statement compiled once on %s', (kind) => {
  let store: FreshStore;
  beforeEach(async () => {
    store = await freshStore(kind);
  });
  afterEach(() => store.dispose());

  test('runs with each call’s own parameters, and a variant is a statement of its own', async () => {
    const items = await seedItems(store.db.kysely, 3);
    const titleOf = hotQuery((db, p: { id: number }, variant) =>
      db
        .selectFrom('content_items')
        .select(variant === 'marked' ? sql<string>`title || '!'`.as('title') : 'title')
        .where('id', '=', p.id),
    );
    const titles = [];
    for (const id of items) titles.push((await titleOf(store.db.kysely, { id })).rows[0]!.title);
    const expected = await store.db.kysely
      .selectFrom('content_items')
      .select('title')
      .where('id', 'in', items)
      .orderBy('id')
      .execute();
    expect(titles).toEqual(expected.map((r) => r.title));
    expect(new Set(titles).size).toBe(3);
    expect((await titleOf(store.db.kysely, { id: items[0]! }, 'marked')).rows[0]!.title).toBe(`${titles[0]}!`);
    expect((await titleOf(store.db.kysely, { id: items[1]! })).rows[0]!.title).toBe(titles[1]);
  });

  test('a builder that does not pass a parameter as a value is refused at its first compile', () => {
    const inlined = hotQuery((db, p: { id: number }) =>
      db
        .selectFrom('content_items')
        .select('title')
        .where('id', '=', sql.lit(Number(p.id))),
    );
    expect(() => inlined(store.db.kysely, { id: 1 })).toThrow(/not passed to the statement as values: id/);
  });
});
