import { randomBytes } from 'node:crypto';

import type { Kysely } from 'kysely';

import { addItems, approveItem } from '../../../src/store/items';
import { savePlan } from '../../../src/store/plans';
import type { Database } from '../../../src/store/schema';
import { minimalPlan } from '../../support/seed';

export const PAGE = '104512345678901';
/** A token that looks like a real one, so a grep for it means something. */
export function fakeToken(): string {
  return `EAAG${randomBytes(30).toString('hex')}`;
}
export const SECRET_KEY = randomBytes(32).toString('base64');

/** One approved item per call, with a body unique enough for the fake to count its posts. */
export async function approvedItem(
  db: Kysely<Database>,
  marker: string,
  fields: { link?: string | null; image?: string | null; body?: string } = {},
): Promise<number> {
  const saved = await savePlan(
    db,
    { plan: minimalPlan(), sourceName: 'kế hoạch thử', sourceHash: 'hash-thu' },
    'kiểm thử',
  );
  const [item] = await addItems(
    db,
    [
      {
        plan: saved.plan.id,
        area: 'thu-tuc-hanh-chinh',
        unit: 'ubnd-xa-tan-lap',
        title: `Tin ${marker}`,
        body: fields.body ?? `Nội dung ${marker}: làm thủ tục trên Cổng dịch vụ công.`,
        link: fields.link === undefined ? 'https://dichvucong.gov.vn/p/home' : fields.link,
        image: fields.image ?? null,
        priority: 'thong-thuong' as const,
      },
    ],
    'cán bộ A',
  );
  await approveItem(db, item!.id, 'lãnh đạo B');
  return item!.id;
}
