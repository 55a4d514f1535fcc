import { createAdapters } from '../channels';
import { FacebookAdapter } from '../channels/facebook/facebook-adapter';
import { Templates } from '../channels/template';
import type { ChannelServices } from '../channels/types';
import { withdrawAs } from '../src/actions/items';
import { FakeGraphApi } from '../src/demo/fake-graph-api';
import type { Actor } from '../src/domain/access';
import { saveChannel } from '../src/store/channels';
import { platformPostsOf } from '../src/store/platform-posts';
import { getPublication, schedulePublications } from '../src/store/publications';
import { recordOutcomeAndSettle, recordPlatformPost } from '../src/store/publish-protocol';
import { publishOne } from '../worker/publish-job';
import { DATABASE_KINDS } from './support/databases';
import { claimOrThrow } from './support/protocol';
import { saveCommunePage, seedItems } from './support/seed';
import { type FreshStore, freshStore } from './support/store-fixture';

const OFFICER: Actor = { name: 'Cán bộ An', role: 'officer', unitId: 'ubnd-xa-tan-lap', source: 'CLI' };
const PAGE = '104512345678901';
const TOKEN = 'EAAGfaketokenforwithdrawaltests0123456789';

/**
 * Withdrawal and the ledger: what a withdrawn item's publications created on a platform is removed
 * through the adapter where the platform allows it (a Page post: DELETE /{post-id}), else listed in the ledger for a
 * person to remove by hand; that includes a post live while its publication was still queued (a Zalo article whose
 * broadcast waited for the morning), which the withdrawal cancels.
 */
describe.each(DATABASE_KINDS)('withdrawing what the ledger holds on %s', (kind) => {
  let store: FreshStore;
  let graph: FakeGraphApi;

  beforeEach(async () => {
    store = await freshStore(kind);
    graph = await new FakeGraphApi().start();
    graph.page(PAGE, 'UBND xã Tân Lập', TOKEN);
    await saveCommunePage(store.db.kysely, { pageId: PAGE });
    await saveChannel(
      store.db.kysely,
      { id: 'oa-xa', unitId: 'ubnd-xa-tan-lap', platform: 'zalo', name: 'OA xã', settings: {} },
      'cán bộ A',
    );
  });
  afterEach(async () => {
    await graph.stop();
    await store.dispose();
  });

  const adapters = () => {
    const services: ChannelServices = {
      readSecret: async () => ({ value: TOKEN, version: 'v' }),
      replaceSecret: async () => false,
      holdAccount: async () => undefined,
    };
    const facebook = new FacebookAdapter(
      new Templates(store.config.templatesDir),
      { target: { graphUrl: graph.url, apiVersion: 'v24.0' }, timeoutMs: 3_000, envPage: null },
      services,
    );
    return { ...createAdapters(store.config), facebook };
  };
  const ledger = async (id: string) =>
    ((await platformPostsOf(store.db.kysely, [id])).get(id) ?? []).map((p) => [p.kind, p.externalId, p.state]);

  async function publishOnPage(): Promise<{ itemId: number; id: string }> {
    const [itemId] = (await seedItems(store.db.kysely, 1)) as [number];
    const { created } = await schedulePublications(
      store.db.kysely,
      [{ itemId, channelId: 'trang-xa', scheduledAt: new Date(Date.now() - 1_000) }],
      'cán bộ A',
    );
    const id = created[0]!.id;
    const deps = { db: store.db.kysely, adapters: adapters(), worker: 'w', log: () => undefined };
    expect(await publishOne(deps, id, false)).toBe('published');
    expect(graph.posts).toHaveLength(1);
    return { itemId, id };
  }

  test('a Page post is deleted through the Graph API, and the ledger says removed', async () => {
    const { itemId, id } = await publishOnPage();
    const postId = graph.posts[0]!.id;
    const result = await withdrawAs(store.db.kysely, OFFICER, adapters(), itemId, 'thông tin đã thay đổi');
    expect(result.withdrawn.map((p) => p.id)).toEqual([id]);
    expect(result.removeByHand).toEqual([]);
    expect(graph.posts).toHaveLength(0);
    expect(graph.requests.some((r) => r.method === 'DELETE' && r.path.endsWith(`/${postId}`))).toBe(true);
    expect(await ledger(id)).toEqual([['post', postId, 'removed']]);
  });

  test('a Page post the Graph API will not delete is listed for a person, with where it is and why', async () => {
    const { itemId, id } = await publishOnPage();
    const postId = graph.posts[0]!.id;
    graph.posts.splice(0, 1); // removed on the Page meanwhile by someone else: Graph no longer knows the id
    const result = await withdrawAs(store.db.kysely, OFFICER, adapters(), itemId, 'thông tin đã thay đổi');
    expect(result.removeByHand).toHaveLength(1);
    expect(result.removeByHand[0]!.reason).toMatch(/Loa không gỡ được/);
    expect(await ledger(id)).toEqual([['post', postId, 'remove-by-hand']]);
    const [row] = (await platformPostsOf(store.db.kysely, [id])).get(id)!;
    expect(row!.stateReason).toContain('Trang xã');
  });

  test('a Zalo article live while its publication waits (queued for the broadcast) is listed for removal by hand', async () => {
    const [itemId] = (await seedItems(store.db.kysely, 1)) as [number];
    const { created } = await schedulePublications(
      store.db.kysely,
      [{ itemId, channelId: 'oa-xa', scheduledAt: new Date(Date.now() - 1_000) }],
      'cán bộ A',
    );
    const id = created[0]!.id;
    // As the Zalo adapter leaves it at night: the article created and recorded, the broadcast held until morning.
    const answer = await claimOrThrow(store.db.kysely, id, 'w');
    await recordPlatformPost(store.db.kysely, answer.claim, {
      kind: 'post',
      externalId: 'art-9',
      externalUrl: 'https://oa.zalo.me/art-9',
    });
    await recordOutcomeAndSettle(store.db.kysely, answer.claim, { kind: 'retry', reason: 'chờ sáng để gửi' });
    expect((await getPublication(store.db.kysely, id)).state).toBe('queued');

    const result = await withdrawAs(store.db.kysely, OFFICER, adapters(), itemId, 'thông tin đã thay đổi');
    expect(result.cancelled.map((p) => p.id)).toEqual([id]);
    expect(result.removeByHand.map((l) => [l.publication.id, l.channelName])).toEqual([[id, 'OA xã']]);
    expect(result.removeByHand[0]!.reason).toContain('https://oa.zalo.me/art-9');
    expect(await ledger(id)).toEqual([['post', 'art-9', 'remove-by-hand']]);
    // A publication cancelled before anything went out lists nothing.
    const [other] = (await seedItems(store.db.kysely, 1)) as [number];
    await schedulePublications(
      store.db.kysely,
      [{ itemId: other, channelId: 'oa-xa', scheduledAt: new Date(Date.now() + 3_600_000) }],
      'cán bộ A',
    );
    expect((await withdrawAs(store.db.kysely, OFFICER, adapters(), other, 'không cần nữa')).removeByHand).toEqual([]);
  });
});
