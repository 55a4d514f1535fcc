import { newZaloSecret } from '../../channels/zalo/tokens';
import type { FakeGraphApi } from '../../src/demo/fake-graph-api';
import type { FakeZalo } from '../../src/demo/fake-zalo-oa';
/** The platforms the chaos run spreads its units' channels over. */
export type Platform = 'rss' | 'radio' | 'facebook' | 'zalo';
import type { Db } from '../../src/store';
import { setChannelSecret } from '../../src/store/channel-secrets';
import { saveChannel } from '../../src/store/channels';
import { addItems, approveItem } from '../../src/store/items';
import { savePlan } from '../../src/store/plans';
import { schedulePublications } from '../../src/store/publications';
import type { SecretKey } from '../../src/store/secret-cipher';
import { ensureUnit } from '../../src/store/units';
import { minimalPlan } from '../support/seed';

export interface ChaosUnit {
  id: string;
  name: string;
  channels: Record<Platform, string>;
  pageId: string;
}

export interface Seeded {
  units: ChaosUnit[];
  /** channel id → platform, for the channels of the run. */
  platformOf: Map<string, Platform>;
  /** item id → its marker, a text found in every post of it (title and body). */
  markers: Map<number, string>;
  publications: number;
  firstDue: Date;
}

/** The marker of item n, unique and easy to find in a post's text. */
export const marker = (n: number) => `[chaos-${String(n).padStart(4, '0')}]`;

/** Units, each with its own four channels and accounts on the fakes. */
export async function seedUnits(
  db: Db,
  count: number,
  graph: FakeGraphApi,
  zalo: FakeZalo,
  key: SecretKey,
): Promise<ChaosUnit[]> {
  const units: ChaosUnit[] = [];
  for (let n = 1; n <= count; n++) {
    const unit = await ensureUnit(db.kysely, `UBND xã Hỗn Loạn ${n}`, 'chaos');
    const id = unit.id;
    const channels = {
      rss: `cong-${id}`,
      radio: `dai-${id}`,
      facebook: `trang-${id}`,
      zalo: `oa-${id}`,
    } satisfies Record<Platform, string>;
    const pageId = `10451000000000${n}`;
    await saveChannel(
      db.kysely,
      { id: channels.rss, unitId: id, platform: 'rss', name: `Cổng ${unit.name}`, settings: {} },
      'chaos',
    );
    // No WAV preview: espeak-ng would cost ~50 ms a script on a shared 2-core machine and prove nothing here.
    await saveChannel(
      db.kysely,
      { id: channels.radio, unitId: id, platform: 'radio', name: `Đài ${unit.name}`, settings: { preview: false } },
      'chaos',
    );
    // Meta allows a Page far more than Loa's cautious default of 10 an hour; 200 is the most a channel may set.
    await saveChannel(
      db.kysely,
      {
        id: channels.facebook,
        unitId: id,
        platform: 'facebook',
        name: `Trang ${unit.name}`,
        settings: { pageId, postsPerHour: 200 },
      },
      'chaos',
    );
    await saveChannel(
      db.kysely,
      {
        id: channels.zalo,
        unitId: id,
        platform: 'zalo',
        name: `OA ${unit.name}`,
        settings: { coverUrl: zalo.imageUrl(20_000) },
      },
      'chaos',
    );
    const token = `EAAG${pageId}${Math.random().toString(36).slice(2)}`;
    graph.page(pageId, unit.name, token);
    await setChannelSecret(db.kysely, channels.facebook, token, 'chaos', key);
    const pair = zalo.issuePair();
    await setChannelSecret(
      db.kysely,
      channels.zalo,
      JSON.stringify(newZaloSecret(pair.accessToken, pair.refreshToken)),
      'chaos',
      key,
    );
    units.push({ id, name: unit.name, channels, pageId });
  }
  return units;
}

/**
 * `items` approved items spread over the units, each queued on its unit's four channels at a time spread evenly
 * over [start, start + spanMs], where start is `leadMs` after the items are written.
 */
export async function seedPublications(
  db: Db,
  units: ChaosUnit[],
  items: number,
  leadMs: number,
  spanMs: number,
): Promise<Seeded> {
  const saved = await savePlan(
    db.kysely,
    { plan: minimalPlan('77/KH-UBND'), sourceName: 'kế hoạch hỗn loạn', sourceHash: `chaos-${Date.now()}` },
    'chaos',
  );
  const markers = new Map<number, string>();
  const written: Array<{ itemId: number; unit: ChaosUnit }> = [];
  for (let n = 1; n <= items; n++) {
    const unit = units[(n - 1) % units.length]!;
    const [item] = await addItems(
      db.kysely,
      [
        {
          plan: saved.plan.id,
          area: 'thu-tuc-hanh-chinh',
          unit: unit.id,
          title: `Tin thử ${marker(n)} ${unit.name}`,
          body: `Nội dung ${marker(n)}: người dân làm thủ tục trên Cổng dịch vụ công, nhận kết quả tại nhà.`,
          link: `https://dichvucong.gov.vn/p/home?chaos=${n}`,
          image: null,
          priority: 'thong-thuong' as const,
        },
      ],
      'cán bộ hỗn loạn',
    );
    await approveItem(db.kysely, item!.id, 'lãnh đạo hỗn loạn');
    markers.set(item!.id, marker(n));
    written.push({ itemId: item!.id, unit });
  }
  const start = new Date(Date.now() + leadMs);
  const slots = written.flatMap(({ itemId, unit }, n) => {
    const scheduledAt = new Date(start.getTime() + Math.round((n / Math.max(1, items - 1)) * spanMs));
    return Object.values(unit.channels).map((channelId) => ({ itemId, channelId, scheduledAt }));
  });
  const { created } = await schedulePublications(db.kysely, slots, 'cán bộ hỗn loạn');
  const platformOf = new Map<string, Platform>();
  for (const unit of units)
    for (const [platform, id] of Object.entries(unit.channels)) platformOf.set(id, platform as Platform);
  return { units, platformOf, markers, publications: created.length, firstDue: start };
}
